<?xml version="1.0" encoding="UTF-8"?>
<!--
  json-common.xsl - what the JSON stylesheets (json.xsl, sarif.xsl) share:
  writing a string as a JSON string literal, and a count as a JSON number.

  JSON needs \ " and the control characters escaped.  An XML 1.0 document
  can hold only three control characters (tab, line feed, carriage return),
  so those three and the two ASCII specials are the whole list.

  SPDX-License-Identifier: ISC
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:f="urn:mxbpa:findings:1"
    xmlns:t="urn:mxbpa:report:strings"
    xmlns:exsl="http://exslt.org/common"
    xmlns:str="http://exslt.org/strings"
    exclude-result-prefixes="f t exsl str">

  <!-- "s" as a JSON string literal, quotes included. -->
  <xsl:template name="json-string">
    <xsl:param name="s"/>
    <xsl:text>"</xsl:text>
    <xsl:value-of select="str:replace(str:replace(str:replace(str:replace(
        str:replace(string($s), '\', '\\'), '&quot;', '\&quot;'),
        '&#10;', '\n'), '&#13;', '\r'), '&#9;', '\t')"/>
    <xsl:text>"</xsl:text>
  </xsl:template>

  <!--
    A count as a JSON number.  The findings schema allows "+7" and "007",
    which JSON does not: the digits are rewritten, and anything that is not
    a count becomes 0.
  -->
  <xsl:template name="json-count">
    <xsl:param name="n"/>
    <xsl:variable name="v" select="number(translate(string($n), '+', ''))"/>
    <xsl:choose>
      <xsl:when test="$v = $v and $v &gt;= 0">
        <xsl:value-of select="format-number($v, '0')"/>
      </xsl:when>
      <xsl:otherwise>0</xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!--
    The relay headline as a JSON object: {"verdict": "possible" |
    "none-found" | "undetermined", "where": [{"rule", "object", "server",
    "waived", "clients", "how"}], "missing": [{"input", "server", "text"}],
    "basis": [{"input", "server", "text"}]}; null for findings of an
    earlier version, which have none.
  -->
  <xsl:template name="json-relay">
    <xsl:variable name="r" select="/f:findings/f:relay"/>
    <xsl:choose>
      <xsl:when test="not($r)">null</xsl:when>
      <xsl:otherwise>
        <xsl:text>{</xsl:text>
        <xsl:call-template name="json-member">
          <xsl:with-param name="name" select="'verdict'"/>
          <xsl:with-param name="value" select="$r/@verdict"/>
        </xsl:call-template>
        <xsl:text>"where": [</xsl:text>
        <xsl:for-each select="$r/f:where">
          <xsl:text>{</xsl:text>
          <xsl:call-template name="json-member">
            <xsl:with-param name="name" select="'rule'"/>
            <xsl:with-param name="value" select="@rule"/>
          </xsl:call-template>
          <xsl:call-template name="json-member">
            <xsl:with-param name="name" select="'object'"/>
            <xsl:with-param name="value" select="@object"/>
          </xsl:call-template>
          <xsl:call-template name="json-member">
            <xsl:with-param name="name" select="'server'"/>
            <xsl:with-param name="value" select="@server"/>
          </xsl:call-template>
          <xsl:text>"waived": </xsl:text>
          <xsl:value-of select="@waived = 'true'"/>
          <xsl:text>, </xsl:text>
          <xsl:call-template name="json-member">
            <xsl:with-param name="name" select="'clients'"/>
            <xsl:with-param name="value" select="@clients"/>
          </xsl:call-template>
          <xsl:call-template name="json-member">
            <xsl:with-param name="name" select="'how'"/>
            <xsl:with-param name="value" select="normalize-space(.)"/>
            <xsl:with-param name="last" select="true()"/>
          </xsl:call-template>
          <xsl:text>}</xsl:text>
          <xsl:if test="position() != last()">, </xsl:if>
        </xsl:for-each>
        <xsl:text>], "missing": [</xsl:text>
        <xsl:for-each select="$r/f:missing">
          <xsl:call-template name="json-gap"/>
          <xsl:if test="position() != last()">, </xsl:if>
        </xsl:for-each>
        <xsl:text>], "basis": [</xsl:text>
        <xsl:for-each select="$r/f:basis">
          <xsl:call-template name="json-gap"/>
          <xsl:if test="position() != last()">, </xsl:if>
        </xsl:for-each>
        <xsl:text>]}</xsl:text>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- {"input", "server", "text"} of a missing, basis or not-checked. -->
  <xsl:template name="json-gap">
    <xsl:text>{</xsl:text>
    <xsl:call-template name="json-member">
      <xsl:with-param name="name" select="'input'"/>
      <xsl:with-param name="value" select="@input"/>
    </xsl:call-template>
    <xsl:call-template name="json-member">
      <xsl:with-param name="name" select="'server'"/>
      <xsl:with-param name="value" select="@server"/>
    </xsl:call-template>
    <xsl:call-template name="json-member">
      <xsl:with-param name="name" select="'text'"/>
      <xsl:with-param name="value" select="normalize-space(.)"/>
      <xsl:with-param name="last" select="true()"/>
    </xsl:call-template>
    <xsl:text>}</xsl:text>
  </xsl:template>

  <!-- "name": "value" followed by a comma unless last is true. -->
  <xsl:template name="json-member">
    <xsl:param name="name"/>
    <xsl:param name="value"/>
    <xsl:param name="last" select="false()"/>
    <xsl:call-template name="json-string">
      <xsl:with-param name="s" select="$name"/>
    </xsl:call-template>
    <xsl:text>: </xsl:text>
    <xsl:call-template name="json-string">
      <xsl:with-param name="s" select="$value"/>
    </xsl:call-template>
    <xsl:if test="not($last)">, </xsl:if>
  </xsl:template>
</xsl:stylesheet>
