<?xml version="1.0" encoding="UTF-8"?>
<!--
  csv.xsl - the findings as CSV (RFC 4180), one row per finding, for
  spreadsheets:

    severity,rule,category,server,connector,object_kind,object,waived,
    title,message,remediation,references

  Every cell is quoted, quotes inside are doubled, lines end in CRLF; a
  cell may span lines.  A cell that a spreadsheet would take for a formula
  (starting with = + - @, tab or carriage return) is prefixed with an
  apostrophe, so that opening the file runs nothing.  References are
  "title <href>" separated by " | ".

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

  <xsl:variable name="EOL" select="'&#13;&#10;'"/>

  <xsl:template match="/">
    <xsl:apply-templates select="f:findings"/>
  </xsl:template>

  <xsl:template match="/*[not(self::f:findings)]">
    <xsl:message terminate="yes">not a findings document</xsl:message>
  </xsl:template>

  <xsl:template match="f:findings">
    <xsl:value-of select="concat('severity,rule,category,server,connector,',
        'object_kind,object,waived,title,message,remediation,references',
        $EOL)"/>
    <xsl:call-template name="relay-row"/>
    <xsl:apply-templates select="f:finding"/>
  </xsl:template>

  <!--
    The relay headline, first: severity "headline", object_kind "relay",
    object the verdict (possible, none-found, undetermined), title the
    verdict in words, message where and how / what is missing / the data
    it rests on, " | " between items.
  -->
  <xsl:template name="relay-row">
    <xsl:variable name="items">
      <xsl:for-each select="f:relay/*">
        <xsl:call-template name="relay-item"/>
        <xsl:if test="position() != last()"> | </xsl:if>
      </xsl:for-each>
    </xsl:variable>
    <xsl:variable name="label">
      <xsl:call-template name="ui">
        <xsl:with-param name="k">
          <xsl:call-template name="relay-key"/>
        </xsl:with-param>
      </xsl:call-template>
    </xsl:variable>
    <xsl:call-template name="cell"><xsl:with-param name="s" select="'headline'"/></xsl:call-template>
    <xsl:call-template name="cell"><xsl:with-param name="s" select="''"/></xsl:call-template>
    <xsl:call-template name="cell"><xsl:with-param name="s" select="'relay'"/></xsl:call-template>
    <xsl:call-template name="cell"><xsl:with-param name="s" select="''"/></xsl:call-template>
    <xsl:call-template name="cell"><xsl:with-param name="s" select="''"/></xsl:call-template>
    <xsl:call-template name="cell"><xsl:with-param name="s" select="'relay'"/></xsl:call-template>
    <xsl:call-template name="cell"><xsl:with-param name="s" select="string(f:relay/@verdict)"/></xsl:call-template>
    <xsl:call-template name="cell"><xsl:with-param name="s" select="'no'"/></xsl:call-template>
    <xsl:call-template name="cell"><xsl:with-param name="s" select="$label"/></xsl:call-template>
    <xsl:call-template name="cell"><xsl:with-param name="s" select="$items"/></xsl:call-template>
    <xsl:call-template name="cell"><xsl:with-param name="s" select="''"/></xsl:call-template>
    <xsl:call-template name="cell">
      <xsl:with-param name="s" select="''"/>
      <xsl:with-param name="last" select="true()"/>
    </xsl:call-template>
  </xsl:template>

  <!-- One quoted, formula-safe cell; a comma follows unless last. -->
  <xsl:template name="cell">
    <xsl:param name="s"/>
    <xsl:param name="last" select="false()"/>
    <xsl:variable name="v" select="string($s)"/>
    <xsl:text>"</xsl:text>
    <xsl:if test="$v != '' and contains('=+-@&#9;&#13;',
        substring($v, 1, 1))">
      <xsl:text>'</xsl:text>
    </xsl:if>
    <xsl:value-of select="str:replace($v, '&quot;', '&quot;&quot;')"/>
    <xsl:text>"</xsl:text>
    <xsl:choose>
      <xsl:when test="$last"><xsl:value-of select="$EOL"/></xsl:when>
      <xsl:otherwise>,</xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="text-cell">
    <xsl:param name="of"/>
    <xsl:variable name="s">
      <xsl:call-template name="pick">
        <xsl:with-param name="of" select="$of"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:call-template name="cell">
      <xsl:with-param name="s" select="$s"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="f:finding">
    <xsl:variable name="waived">
      <xsl:call-template name="is-waived"/>
    </xsl:variable>
    <xsl:call-template name="cell">
      <xsl:with-param name="s" select="@severity"/>
    </xsl:call-template>
    <xsl:call-template name="cell">
      <xsl:with-param name="s" select="@rule"/>
    </xsl:call-template>
    <xsl:call-template name="cell">
      <xsl:with-param name="s" select="@category"/>
    </xsl:call-template>
    <xsl:call-template name="cell">
      <xsl:with-param name="s" select="@server"/>
    </xsl:call-template>
    <xsl:call-template name="cell">
      <xsl:with-param name="s" select="@connector"/>
    </xsl:call-template>
    <xsl:call-template name="cell">
      <xsl:with-param name="s" select="@object-kind"/>
    </xsl:call-template>
    <xsl:call-template name="cell">
      <xsl:with-param name="s" select="@object"/>
    </xsl:call-template>
    <xsl:call-template name="cell">
      <xsl:with-param name="s" select="substring('noyes', 1 + 2 *
          number($waived = 'yes'), 2 + number($waived = 'yes'))"/>
    </xsl:call-template>
    <xsl:call-template name="text-cell">
      <xsl:with-param name="of" select="f:title"/>
    </xsl:call-template>
    <xsl:call-template name="text-cell">
      <xsl:with-param name="of" select="f:message"/>
    </xsl:call-template>
    <xsl:call-template name="text-cell">
      <xsl:with-param name="of" select="f:remediation"/>
    </xsl:call-template>
    <xsl:call-template name="cell">
      <xsl:with-param name="s">
        <xsl:for-each select="f:reference">
          <xsl:value-of select="normalize-space(.)"/>
          <xsl:if test="@href">
            <xsl:value-of select="concat(' &lt;', @href, '&gt;')"/>
          </xsl:if>
          <xsl:if test="position() != last()"> | </xsl:if>
        </xsl:for-each>
      </xsl:with-param>
      <xsl:with-param name="last" select="true()"/>
    </xsl:call-template>
  </xsl:template>
</xsl:stylesheet>
