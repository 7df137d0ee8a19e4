<?xml version="1.0" encoding="UTF-8"?>
<!--
  text.xsl - the plain text report, for a terminal: a header, the counts by
  severity, then the findings by severity (gravest first) and, within one
  severity, by server and connector:

    [ERROR] RELAY-001 EX02\Relay Printers: Receive connector is an open relay
        message
        Remediation:
            command
        References:
            - title <https://...>

  The tags ([ERROR], [BEST-PRACTICE]...) are the severity names of the
  command line in every language, so that they can be searched for.
  report.c replaces control characters in the result before it reaches a
  terminal.

  SPDX-License-Identifier: ISC
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:f="urn:mxbpa:findings:1"
    xmlns:t="urn:mxbpa:report:strings"
    xmlns:exsl="http://exslt.org/common"
    xmlns:str="http://exslt.org/strings"
    exclude-result-prefixes="f t exsl str">

  <xsl:include href="common.xsl"/>

  <xsl:output method="text" encoding="UTF-8"/>

  <xsl:variable name="NL" select="'&#10;'"/>

  <xsl:template match="/">
    <xsl:apply-templates select="f:findings"/>
  </xsl:template>

  <xsl:template match="/*[not(self::f:findings)]">
    <xsl:message terminate="yes">not a findings document</xsl:message>
  </xsl:template>

  <xsl:template match="f:findings">
    <xsl:variable name="root" select="."/>
    <xsl:call-template name="heading">
      <xsl:with-param name="k" select="'report-title'"/>
      <xsl:with-param name="under" select="'='"/>
    </xsl:call-template>
    <xsl:call-template name="relay-headline"/>
    <xsl:call-template name="fact">
      <xsl:with-param name="k" select="'generated'"/>
      <xsl:with-param name="v" select="@generated"/>
    </xsl:call-template>
    <xsl:call-template name="fact">
      <xsl:with-param name="k" select="'analysed-by'"/>
      <xsl:with-param name="v" select="@generator"/>
    </xsl:call-template>
    <xsl:if test="$generator != ''">
      <xsl:call-template name="fact">
        <xsl:with-param name="k" select="'rendered-by'"/>
        <xsl:with-param name="v" select="$generator"/>
      </xsl:call-template>
    </xsl:if>
    <xsl:for-each select="f:model[@collected]">
      <xsl:call-template name="fact">
        <xsl:with-param name="k" select="'model-collected'"/>
        <xsl:with-param name="v" select="@collected"/>
      </xsl:call-template>
    </xsl:for-each>
    <xsl:if test="f:model/f:source">
      <xsl:call-template name="ui">
        <xsl:with-param name="k" select="'sources'"/>
      </xsl:call-template>
      <xsl:value-of select="concat($colon, $NL)"/>
      <xsl:for-each select="f:model/f:source">
        <xsl:value-of select="concat('  ', normalize-space(@kind), '  ',
            normalize-space(@location))"/>
        <xsl:if test="@sha256">
          <xsl:value-of select="concat('  sha256:', @sha256)"/>
        </xsl:if>
        <xsl:value-of select="$NL"/>
      </xsl:for-each>
    </xsl:if>
    <xsl:value-of select="$NL"/>

    <xsl:call-template name="heading">
      <xsl:with-param name="k" select="'summary'"/>
      <xsl:with-param name="under" select="'-'"/>
    </xsl:call-template>
    <xsl:variable name="sum" select="f:summary"/>
    <xsl:for-each select="$severities">
      <xsl:variable name="sev" select="@id"/>
      <xsl:call-template name="count-line">
        <xsl:with-param name="label">
          <xsl:call-template name="severity-label">
            <xsl:with-param name="sev" select="$sev"/>
          </xsl:call-template>
        </xsl:with-param>
        <xsl:with-param name="n" select="$sum/@*[local-name() = $sev]"/>
      </xsl:call-template>
    </xsl:for-each>
    <xsl:call-template name="count-line">
      <xsl:with-param name="label">
        <xsl:call-template name="ui">
          <xsl:with-param name="k" select="'total'"/>
        </xsl:call-template>
      </xsl:with-param>
      <xsl:with-param name="n" select="$sum/@total"/>
    </xsl:call-template>
    <xsl:call-template name="count-line">
      <xsl:with-param name="label">
        <xsl:call-template name="ui">
          <xsl:with-param name="k" select="'rules-run'"/>
        </xsl:call-template>
      </xsl:with-param>
      <xsl:with-param name="n" select="$sum/@rules"/>
    </xsl:call-template>
    <xsl:call-template name="count-line">
      <xsl:with-param name="label">
        <xsl:call-template name="ui">
          <xsl:with-param name="k" select="'checks'"/>
        </xsl:call-template>
      </xsl:with-param>
      <xsl:with-param name="n" select="$sum/@checks"/>
    </xsl:call-template>
    <xsl:if test="$sum/@waived">
      <xsl:call-template name="count-line">
        <xsl:with-param name="label">
          <xsl:call-template name="ui">
            <xsl:with-param name="k" select="'waived'"/>
          </xsl:call-template>
        </xsl:with-param>
        <xsl:with-param name="n" select="$sum/@waived"/>
      </xsl:call-template>
    </xsl:if>
    <xsl:value-of select="$NL"/>

    <xsl:if test="not(f:finding)">
      <xsl:call-template name="ui">
        <xsl:with-param name="k" select="$none-findings"/>
      </xsl:call-template>
      <xsl:value-of select="concat($NL, $NL)"/>
    </xsl:if>

    <xsl:for-each select="$severities">
      <xsl:variable name="sev" select="@id"/>
      <xsl:variable name="list" select="$root/f:finding[@severity = $sev]"/>
      <xsl:if test="$list">
        <xsl:call-template name="heading">
          <xsl:with-param name="k" select="concat('sevs-', $sev)"/>
          <xsl:with-param name="under" select="'-'"/>
          <xsl:with-param name="n" select="count($list)"/>
        </xsl:call-template>
        <xsl:for-each select="$list">
          <xsl:sort select="number(not(@server))" data-type="number"/>
          <xsl:sort select="@server"/>
          <xsl:sort select="@connector"/>
          <xsl:sort select="@object"/>
          <xsl:sort select="@rule"/>
          <xsl:apply-templates select="."/>
        </xsl:for-each>
      </xsl:if>
    </xsl:for-each>
    <!-- Severities outside the five known ones, should a document hold any. -->
    <xsl:for-each select="f:finding[not(@severity = $severities/@id)]">
      <xsl:apply-templates select="."/>
    </xsl:for-each>

    <xsl:call-template name="heading">
      <xsl:with-param name="k" select="'rules'"/>
      <xsl:with-param name="under" select="'-'"/>
      <xsl:with-param name="n" select="count(f:rule)"/>
    </xsl:call-template>
    <xsl:apply-templates select="f:rule"/>
    <xsl:if test="not(f:rule)">
      <xsl:call-template name="ui">
        <xsl:with-param name="k" select="'none-rules'"/>
      </xsl:call-template>
      <xsl:value-of select="$NL"/>
    </xsl:if>
  </xsl:template>

  <!-- A title line underlined with $under, then a blank line. -->
  <xsl:template name="heading">
    <xsl:param name="k"/>
    <xsl:param name="under"/>
    <xsl:param name="n" select="''"/>
    <xsl:variable name="text">
      <xsl:call-template name="ui">
        <xsl:with-param name="k" select="$k"/>
      </xsl:call-template>
      <xsl:if test="string($n) != ''">
        <xsl:value-of select="concat(' (', $n, ')')"/>
      </xsl:if>
    </xsl:variable>
    <xsl:value-of select="concat($text, $NL,
        str:padding(string-length($text), $under), $NL, $NL)"/>
  </xsl:template>

  <!-- "Label:            value" -->
  <xsl:template name="fact">
    <xsl:param name="k"/>
    <xsl:param name="v"/>
    <xsl:variable name="label">
      <xsl:call-template name="ui">
        <xsl:with-param name="k" select="$k"/>
      </xsl:call-template>
      <xsl:value-of select="$colon"/>
    </xsl:variable>
    <xsl:value-of select="$label"/>
    <xsl:call-template name="pad-to">
      <xsl:with-param name="used" select="string-length($label)"/>
      <xsl:with-param name="width" select="22"/>
    </xsl:call-template>
    <xsl:value-of select="concat(normalize-space($v), $NL)"/>
  </xsl:template>

  <!-- "  Label              12" -->
  <xsl:template name="count-line">
    <xsl:param name="label"/>
    <xsl:param name="n"/>
    <xsl:value-of select="concat('  ', $label)"/>
    <xsl:call-template name="pad-to">
      <xsl:with-param name="used" select="string-length($label)"/>
      <xsl:with-param name="width" select="34 - string-length($n)"/>
    </xsl:call-template>
    <xsl:value-of select="concat($n, $NL)"/>
  </xsl:template>

  <!-- Spaces from column $used to column $width (at least one). -->
  <xsl:template name="pad-to">
    <xsl:param name="used"/>
    <xsl:param name="width"/>
    <xsl:choose>
      <xsl:when test="$width - $used &gt; 1">
        <xsl:value-of select="str:padding($width - $used, ' ')"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:text> </xsl:text>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Text indented by $indent, continuation lines too. -->
  <xsl:template name="indented">
    <xsl:param name="text"/>
    <xsl:param name="indent"/>
    <xsl:value-of select="concat($indent,
        str:replace($text, $NL, concat($NL, $indent)), $NL)"/>
  </xsl:template>

  <xsl:template match="f:finding">
    <xsl:variable name="tag" select="translate(@severity,
        'abcdefghijklmnopqrstuvwxyz', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ')"/>
    <!-- One line, whatever the texts hold: nothing can forge a finding. -->
    <xsl:variable name="head">
      <xsl:value-of select="concat('[', $tag, '] ', @rule, ' ')"/>
      <xsl:call-template name="where"/>
      <xsl:text>: </xsl:text>
      <xsl:call-template name="pick">
        <xsl:with-param name="of" select="f:title"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:value-of select="concat(normalize-space($head), $NL)"/>
    <xsl:for-each select="f:waiver">
      <xsl:variable name="w">
        <xsl:call-template name="waiver-text"/>
      </xsl:variable>
      <xsl:value-of select="concat('    ', normalize-space($w), $NL)"/>
    </xsl:for-each>
    <xsl:call-template name="indented">
      <xsl:with-param name="indent" select="'    '"/>
      <xsl:with-param name="text">
        <xsl:call-template name="pick">
          <xsl:with-param name="of" select="f:message"/>
        </xsl:call-template>
      </xsl:with-param>
    </xsl:call-template>
    <xsl:if test="f:remediation">
      <xsl:text>    </xsl:text>
      <xsl:call-template name="ui">
        <xsl:with-param name="k" select="'remediation'"/>
      </xsl:call-template>
      <xsl:value-of select="concat($colon, $NL)"/>
      <xsl:call-template name="indented">
        <xsl:with-param name="indent" select="'        '"/>
        <xsl:with-param name="text">
          <xsl:call-template name="pick">
            <xsl:with-param name="of" select="f:remediation"/>
          </xsl:call-template>
        </xsl:with-param>
      </xsl:call-template>
    </xsl:if>
    <xsl:if test="f:reference">
      <xsl:text>    </xsl:text>
      <xsl:call-template name="ui">
        <xsl:with-param name="k" select="'references'"/>
      </xsl:call-template>
      <xsl:value-of select="concat($colon, $NL)"/>
      <xsl:for-each select="f:reference">
        <xsl:value-of select="concat('        - ', normalize-space(.))"/>
        <xsl:if test="@href">
          <xsl:if test="normalize-space(.) != ''">
            <xsl:text> </xsl:text>
          </xsl:if>
          <xsl:value-of
              select="concat('&lt;', normalize-space(@href), '&gt;')"/>
        </xsl:if>
        <xsl:value-of select="$NL"/>
      </xsl:for-each>
    </xsl:if>
    <xsl:value-of select="$NL"/>
  </xsl:template>

  <!--
    First thing in the report: can anyone relay?
      Relay: RELAY POSSIBLE
        - EX02\Default Frontend EX02: Receive connector is an open relay (RELAY-001)
  -->
  <xsl:template name="relay-headline">
    <xsl:call-template name="ui">
      <xsl:with-param name="k" select="'relay'"/>
    </xsl:call-template>
    <xsl:value-of select="concat($colon, ' ')"/>
    <xsl:call-template name="ui">
      <xsl:with-param name="k">
        <xsl:call-template name="relay-key"/>
      </xsl:with-param>
    </xsl:call-template>
    <xsl:value-of select="$NL"/>
    <xsl:for-each select="f:relay/*">
      <xsl:text>  - </xsl:text>
      <xsl:call-template name="relay-item"/>
      <xsl:value-of select="$NL"/>
    </xsl:for-each>
    <xsl:value-of select="$NL"/>
  </xsl:template>

  <!-- "  RELAY-001  error  6 checked, 2 failed  title" -->
  <xsl:template match="f:rule">
    <xsl:variable name="status">
      <xsl:call-template name="rule-status"/>
    </xsl:variable>
    <xsl:variable name="mark">
      <xsl:call-template name="ui">
        <xsl:with-param name="k" select="concat('st-', $status)"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:value-of select="concat('  ', @id)"/>
    <xsl:call-template name="pad-to">
      <xsl:with-param name="used" select="string-length(@id)"/>
      <xsl:with-param name="width" select="12"/>
    </xsl:call-template>
    <xsl:value-of select="$mark"/>
    <xsl:call-template name="pad-to">
      <xsl:with-param name="used" select="string-length($mark)"/>
      <xsl:with-param name="width" select="14"/>
    </xsl:call-template>
    <xsl:value-of select="concat(@failed, '/', @checked)"/>
    <xsl:call-template name="pad-to">
      <xsl:with-param name="used"
          select="string-length(concat(@failed, '/', @checked))"/>
      <xsl:with-param name="width" select="9"/>
    </xsl:call-template>
    <xsl:variable name="title">
      <xsl:call-template name="pick">
        <xsl:with-param name="of" select="f:title"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:value-of select="concat(normalize-space($title), $NL)"/>
    <xsl:for-each select="f:disabled">
      <xsl:text>              </xsl:text>
      <xsl:call-template name="ui">
        <xsl:with-param name="k" select="'disabled'"/>
      </xsl:call-template>
      <xsl:value-of select="concat(' (', @pack)"/>
      <xsl:if test="@by">
        <xsl:value-of select="concat(', ', @by)"/>
      </xsl:if>
      <xsl:value-of select="concat(')', $colon, ' ', normalize-space(.), $NL)"/>
    </xsl:for-each>
    <xsl:for-each select="f:not-checked">
      <xsl:value-of select="concat('              ', normalize-space(.), $NL)"/>
    </xsl:for-each>
  </xsl:template>
</xsl:stylesheet>
