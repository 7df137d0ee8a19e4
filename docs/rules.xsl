<?xml version="1.0" encoding="UTF-8"?>
<!--
  rules.xsl - the rule reference: one Markdown page per rule (what it
  checks, why, how to fix it, references, in English then French) and an
  index, made from the rule packs at build time (Makefile.am) so that the
  documentation never drifts from the rules.

  Parameters: packs, the packs' absolute paths separated by spaces;
  outdir, the directory of the pages.  The main output is the index.
  Texts are copied as written: {…} in a message or a remediation is an
  XPath expression mxbpa fills in from the object of the finding.

  SPDX-License-Identifier: ISC
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:r="urn:mxbpa:rules:1"
    xmlns:str="http://exslt.org/strings"
    xmlns:exsl="http://exslt.org/common"
    extension-element-prefixes="exsl"
    exclude-result-prefixes="r str">

  <xsl:output method="text" encoding="UTF-8"/>
  <xsl:param name="packs"/>
  <xsl:param name="outdir" select="'.'"/>
  <xsl:variable name="NL" select="'&#10;'"/>

  <xsl:template match="/">
    <xsl:text># mxbpa rule reference&#10;&#10;</xsl:text>
    <xsl:text>Generated from the rule packs; `mxbpa rules show ID` gives the same texts.&#10;&#10;</xsl:text>
    <xsl:text>| Rule | Severity | Category | Pack | Title |&#10;</xsl:text>
    <xsl:text>|---|---|---|---|---|&#10;</xsl:text>
    <xsl:for-each select="str:tokenize($packs, ' ')">
      <xsl:for-each select="document(string(.))/r:rules/r:rule">
        <xsl:value-of select="concat('| [', @id, '](', @id, '.md) | ',
            @severity, ' | ', @category, ' | ', ../@pack, ' | ',
            normalize-space(r:title[lang('en')]), ' |', $NL)"/>
        <xsl:apply-templates select="."/>
      </xsl:for-each>
    </xsl:for-each>
  </xsl:template>

  <xsl:template match="r:rule">
    <exsl:document href="{$outdir}/{@id}.md" method="text" encoding="UTF-8">
      <xsl:value-of select="concat('# ', @id, ': ',
          normalize-space(r:title[lang('en')]), $NL, $NL)"/>
      <xsl:value-of select="concat('Severity: ', @severity, ' · Category: ',
          @category, ' · Pack: ', ../@pack, $NL, $NL, '## English', $NL, $NL)"/>
      <xsl:call-template name="lang">
        <xsl:with-param name="l" select="'en'"/>
      </xsl:call-template>
      <xsl:value-of select="concat('## Français: ',
          normalize-space(r:title[lang('fr')]), $NL, $NL)"/>
      <xsl:call-template name="lang">
        <xsl:with-param name="l" select="'fr'"/>
      </xsl:call-template>
      <xsl:if test="r:reference">
        <xsl:text>## References&#10;&#10;</xsl:text>
        <xsl:for-each select="r:reference">
          <xsl:value-of select="concat('- [', normalize-space(.), '](',
              @href, ')', $NL)"/>
        </xsl:for-each>
        <xsl:value-of select="$NL"/>
      </xsl:if>
      <xsl:text>## How it is checked&#10;&#10;</xsl:text>
      <xsl:value-of select="concat('Objects: `', normalize-space(r:select),
          '`', $NL, $NL, 'A finding is raised for each object where this is false:', $NL, $NL,
          '```xpath', $NL, r:assert/@test, $NL, '```', $NL)"/>
    </exsl:document>
  </xsl:template>

  <!-- What, why, finding and fix in one language. -->
  <xsl:template name="lang">
    <xsl:param name="l"/>
    <xsl:variable name="fr" select="$l = 'fr'"/>
    <xsl:if test="r:description[lang($l)]">
      <xsl:value-of select="concat('### ', substring('What and why', 1, 12 * not($fr)),
          substring('Quoi et pourquoi', 1, 16 * $fr), $NL, $NL,
          normalize-space(r:description[lang($l)]), $NL, $NL)"/>
    </xsl:if>
    <xsl:value-of select="concat('### ', substring('Finding', 1, 7 * not($fr)),
        substring('Constat', 1, 7 * $fr), $NL, $NL, '```text', $NL,
        normalize-space(r:message[lang($l)]), $NL, '```', $NL, $NL)"/>
    <xsl:if test="r:remediation[lang($l)]">
      <xsl:value-of select="concat('### ', substring('How to fix', 1, 10 * not($fr)),
          substring('Correction', 1, 10 * $fr), $NL, $NL, '```text', $NL,
          r:remediation[lang($l)], $NL, '```', $NL, $NL)"/>
    </xsl:if>
  </xsl:template>
</xsl:stylesheet>
