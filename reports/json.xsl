<?xml version="1.0" encoding="UTF-8"?>
<!--
  json.xsl - the findings as one JSON document, for scripts and pipelines:

    { "format": "mxbpa-findings", "version": 1,
      "relay": { "verdict", "where": [...], "missing": [...], "basis": [...] },
      "generated": "...",
      "generator": "...", "lang": "en",
      "summary": { "total": 18, "error": 6, ... },
      "models": [ { "collected": "...", "sha256": "...",
                    "sources": [ { "kind", "location", "sha256" } ] } ],
      "rules": [ { "id", "severity", "category", "pack", "checked",
                   "failed", "status", "notChecked": [...], "title" } ],
      "findings": [ { "rule", "severity", "category", "objectKind",
                      "object", "server", "connector", "waived", "title",
                      "message", "remediation",
                      "references": [ { "title", "href" } ],
                      "evidence": "<receive-connector .../>" } ] }

  Texts are in the language asked for (else English); "server",
  "connector" and "remediation" are null when absent.  Every string goes
  through json-string, so no input can break out of its literal.

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
  <xsl:include href="json-common.xsl"/>

  <xsl:output method="text" encoding="UTF-8"/>

  <xsl:template match="/">
    <xsl:apply-templates select="f:findings"/>
  </xsl:template>

  <xsl:template match="/*[not(self::f:findings)]">
    <xsl:message terminate="yes">not a findings document</xsl:message>
  </xsl:template>

  <xsl:template match="f:findings">
    <xsl:text>{&#10;  "format": "mxbpa-findings", "version": 1,&#10;  "relay": </xsl:text>
    <xsl:call-template name="json-relay"/>
    <xsl:text>,&#10;  </xsl:text>
    <xsl:call-template name="json-member">
      <xsl:with-param name="name" select="'generated'"/>
      <xsl:with-param name="value" select="@generated"/>
    </xsl:call-template>
    <xsl:call-template name="json-member">
      <xsl:with-param name="name" select="'generator'"/>
      <xsl:with-param name="value" select="@generator"/>
    </xsl:call-template>
    <xsl:call-template name="json-member">
      <xsl:with-param name="name" select="'lang'"/>
      <xsl:with-param name="value" select="$L"/>
      <xsl:with-param name="last" select="true()"/>
    </xsl:call-template>
    <xsl:text>,&#10;  "summary": {</xsl:text>
    <xsl:for-each select="f:summary/@*">
      <xsl:call-template name="json-string">
        <xsl:with-param name="s" select="local-name()"/>
      </xsl:call-template>
      <xsl:text>: </xsl:text>
      <xsl:call-template name="json-count">
        <xsl:with-param name="n" select="."/>
      </xsl:call-template>
      <xsl:if test="position() != last()">, </xsl:if>
    </xsl:for-each>
    <xsl:text>},&#10;  "models": [</xsl:text>
    <xsl:apply-templates select="f:model"/>
    <xsl:text>],&#10;  "rules": [</xsl:text>
    <xsl:apply-templates select="f:rule"/>
    <xsl:text>&#10;  ],&#10;  "findings": [</xsl:text>
    <xsl:apply-templates select="f:finding"/>
    <xsl:text>&#10;  ]&#10;}&#10;</xsl:text>
  </xsl:template>

  <xsl:template match="f:model">
    <xsl:text>{</xsl:text>
    <xsl:call-template name="json-member">
      <xsl:with-param name="name" select="'collected'"/>
      <xsl:with-param name="value" select="@collected"/>
    </xsl:call-template>
    <xsl:call-template name="json-member">
      <xsl:with-param name="name" select="'sha256'"/>
      <xsl:with-param name="value" select="@sha256"/>
    </xsl:call-template>
    <xsl:text>"sources": [</xsl:text>
    <xsl:for-each select="f:source">
      <xsl:text>&#10;    {</xsl:text>
      <xsl:call-template name="json-member">
        <xsl:with-param name="name" select="'kind'"/>
        <xsl:with-param name="value" select="@kind"/>
      </xsl:call-template>
      <xsl:call-template name="json-member">
        <xsl:with-param name="name" select="'location'"/>
        <xsl:with-param name="value" select="@location"/>
      </xsl:call-template>
      <xsl:call-template name="json-member">
        <xsl:with-param name="name" select="'sha256'"/>
        <xsl:with-param name="value" select="@sha256"/>
        <xsl:with-param name="last" select="true()"/>
      </xsl:call-template>
      <xsl:text>}</xsl:text>
      <xsl:if test="position() != last()">,</xsl:if>
    </xsl:for-each>
    <xsl:text>]}</xsl:text>
    <xsl:if test="position() != last()">, </xsl:if>
  </xsl:template>

  <xsl:template match="f:rule">
    <xsl:text>&#10;    {</xsl:text>
    <xsl:call-template name="json-member">
      <xsl:with-param name="name" select="'id'"/>
      <xsl:with-param name="value" select="@id"/>
    </xsl:call-template>
    <xsl:call-template name="json-member">
      <xsl:with-param name="name" select="'severity'"/>
      <xsl:with-param name="value" select="@severity"/>
    </xsl:call-template>
    <xsl:call-template name="json-member">
      <xsl:with-param name="name" select="'category'"/>
      <xsl:with-param name="value" select="@category"/>
    </xsl:call-template>
    <xsl:call-template name="json-member">
      <xsl:with-param name="name" select="'pack'"/>
      <xsl:with-param name="value" select="@pack"/>
    </xsl:call-template>
    <xsl:text>"checked": </xsl:text>
    <xsl:call-template name="json-count">
      <xsl:with-param name="n" select="@checked"/>
    </xsl:call-template>
    <xsl:text>, "failed": </xsl:text>
    <xsl:call-template name="json-count">
      <xsl:with-param name="n" select="@failed"/>
    </xsl:call-template>
    <xsl:text>, </xsl:text>
    <xsl:call-template name="json-member">
      <xsl:with-param name="name" select="'status'"/>
      <xsl:with-param name="value">
        <xsl:call-template name="rule-status"/>
      </xsl:with-param>
    </xsl:call-template>
    <xsl:text>"notChecked": [</xsl:text>
    <xsl:for-each select="f:not-checked">
      <xsl:call-template name="json-gap"/>
      <xsl:if test="position() != last()">, </xsl:if>
    </xsl:for-each>
    <xsl:text>], "title": </xsl:text>
    <xsl:call-template name="json-text">
      <xsl:with-param name="of" select="f:title"/>
    </xsl:call-template>
    <xsl:text>}</xsl:text>
    <xsl:if test="position() != last()">,</xsl:if>
  </xsl:template>

  <xsl:template match="f:finding">
    <xsl:variable name="waived">
      <xsl:call-template name="is-waived"/>
    </xsl:variable>
    <xsl:text>&#10;    {</xsl:text>
    <xsl:call-template name="json-member">
      <xsl:with-param name="name" select="'rule'"/>
      <xsl:with-param name="value" select="@rule"/>
    </xsl:call-template>
    <xsl:call-template name="json-member">
      <xsl:with-param name="name" select="'severity'"/>
      <xsl:with-param name="value" select="@severity"/>
    </xsl:call-template>
    <xsl:call-template name="json-member">
      <xsl:with-param name="name" select="'category'"/>
      <xsl:with-param name="value" select="@category"/>
    </xsl:call-template>
    <xsl:call-template name="json-member">
      <xsl:with-param name="name" select="'objectKind'"/>
      <xsl:with-param name="value" select="@object-kind"/>
    </xsl:call-template>
    <xsl:call-template name="json-member">
      <xsl:with-param name="name" select="'object'"/>
      <xsl:with-param name="value" select="@object"/>
      <xsl:with-param name="last" select="true()"/>
    </xsl:call-template>
    <xsl:text>,&#10;     "server": </xsl:text>
    <xsl:call-template name="json-optional">
      <xsl:with-param name="of" select="@server"/>
    </xsl:call-template>
    <xsl:text>, "connector": </xsl:text>
    <xsl:call-template name="json-optional">
      <xsl:with-param name="of" select="@connector"/>
    </xsl:call-template>
    <xsl:text>, "waived": </xsl:text>
    <xsl:value-of select="substring('falsetrue', 1 + 5 * number($waived = 'yes'), 5 - number($waived = 'yes'))"/>
    <xsl:text>,&#10;     "title": </xsl:text>
    <xsl:call-template name="json-text">
      <xsl:with-param name="of" select="f:title"/>
    </xsl:call-template>
    <xsl:text>,&#10;     "message": </xsl:text>
    <xsl:call-template name="json-text">
      <xsl:with-param name="of" select="f:message"/>
    </xsl:call-template>
    <xsl:text>,&#10;     "remediation": </xsl:text>
    <xsl:choose>
      <xsl:when test="f:remediation">
        <xsl:call-template name="json-text">
          <xsl:with-param name="of" select="f:remediation"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise>null</xsl:otherwise>
    </xsl:choose>
    <xsl:text>,&#10;     "references": [</xsl:text>
    <xsl:for-each select="f:reference">
      <xsl:text>{</xsl:text>
      <xsl:call-template name="json-member">
        <xsl:with-param name="name" select="'title'"/>
        <xsl:with-param name="value" select="normalize-space(.)"/>
      </xsl:call-template>
      <xsl:text>"href": </xsl:text>
      <xsl:call-template name="json-optional">
        <xsl:with-param name="of" select="@href"/>
      </xsl:call-template>
      <xsl:text>}</xsl:text>
      <xsl:if test="position() != last()">, </xsl:if>
    </xsl:for-each>
    <xsl:text>],&#10;     "evidence": </xsl:text>
    <xsl:choose>
      <xsl:when test="f:evidence/*">
        <xsl:variable name="ev">
          <xsl:apply-templates select="f:evidence/*" mode="evidence"/>
        </xsl:variable>
        <xsl:call-template name="json-string">
          <xsl:with-param name="s" select="$ev"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise>null</xsl:otherwise>
    </xsl:choose>
    <xsl:text>}</xsl:text>
    <xsl:if test="position() != last()">,</xsl:if>
  </xsl:template>

  <!-- A localised text (see "pick") as a JSON string. -->
  <xsl:template name="json-text">
    <xsl:param name="of"/>
    <xsl:variable name="s">
      <xsl:call-template name="pick">
        <xsl:with-param name="of" select="$of"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:call-template name="json-string">
      <xsl:with-param name="s" select="$s"/>
    </xsl:call-template>
  </xsl:template>

  <!-- An attribute as a JSON string, or null when absent. -->
  <xsl:template name="json-optional">
    <xsl:param name="of"/>
    <xsl:choose>
      <xsl:when test="$of">
        <xsl:call-template name="json-string">
          <xsl:with-param name="s" select="$of"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise>null</xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
