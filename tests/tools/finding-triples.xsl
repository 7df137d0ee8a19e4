<?xml version="1.0" encoding="UTF-8"?>
<!--
  finding-triples.xsl - one line per finding of a findings document:
  rule, severity and object separated by tabs (control characters of the
  object written as "?"), to compare what fires, not how it is worded.
  SPDX-License-Identifier: ISC
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:f="urn:mxbpa:findings:1">
  <xsl:output method="text" encoding="UTF-8"/>
  <xsl:template match="/">
    <xsl:for-each select="/f:findings/f:finding">
      <xsl:value-of select="concat(@rule, '&#9;', @severity, '&#9;',
          translate(@object, '&#9;&#10;&#13;', '???'), '&#10;')"/>
    </xsl:for-each>
  </xsl:template>
</xsl:stylesheet>
