<?xml version="1.0" encoding="UTF-8"?>
<!--
  sarif.xsl - the findings as a SARIF 2.1.0 log (OASIS Static Analysis
  Results Interchange Format), for code-scanning dashboards.

  One run; tool.driver.rules lists every rule that ran, in the order of the
  findings document, and each result names its rule by ruleId and
  ruleIndex.  Levels: error -> "error", warning -> "warning", the others ->
  "note".  Exchange objects are not files: each result points at the input
  the model was built from (the first non-probe source, or the probe
  source for probe findings) and names the object as a logical location.
  partialFingerprints carry rule and object, so that a dashboard follows a
  finding from one scan to the next.  A waived finding carries an external
  suppression.

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

  <xsl:key name="rule" match="f:rule" use="@id"/>

  <xsl:template match="/">
    <xsl:apply-templates select="f:findings"/>
  </xsl:template>

  <xsl:template match="/*[not(self::f:findings)]">
    <xsl:message terminate="yes">not a findings document</xsl:message>
  </xsl:template>

  <xsl:template match="f:findings">
    <xsl:variable name="version"
        select="normalize-space(substring-after(@generator, ' '))"/>
    <xsl:text>{&#10;  "$schema": "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",&#10;</xsl:text>
    <xsl:text>  "version": "2.1.0",&#10;  "runs": [{&#10;    "properties": {"relay": </xsl:text>
    <xsl:call-template name="json-relay"/>
    <xsl:text>},&#10;</xsl:text>
    <xsl:text>    "tool": {"driver": {"name": "mxbpa",</xsl:text>
    <xsl:if test="$version != ''">
      <xsl:text> </xsl:text>
      <xsl:call-template name="json-member">
        <xsl:with-param name="name" select="'version'"/>
        <xsl:with-param name="value" select="$version"/>
        <xsl:with-param name="last" select="true()"/>
      </xsl:call-template>
      <xsl:text>,</xsl:text>
    </xsl:if>
    <xsl:text>&#10;      "rules": [</xsl:text>
    <xsl:apply-templates select="f:rule"/>
    <xsl:text>]}},&#10;    "invocations": [{"executionSuccessful": true, </xsl:text>
    <xsl:call-template name="json-member">
      <xsl:with-param name="name" select="'endTimeUtc'"/>
      <xsl:with-param name="value" select="@generated"/>
      <xsl:with-param name="last" select="true()"/>
    </xsl:call-template>
    <xsl:text>}],&#10;    "columnKind": "unicodeCodePoints",&#10;    "results": [</xsl:text>
    <xsl:apply-templates select="f:finding"/>
    <xsl:text>]&#10;  }]&#10;}&#10;</xsl:text>
  </xsl:template>

  <xsl:template name="level">
    <xsl:param name="sev" select="@severity"/>
    <xsl:choose>
      <xsl:when test="$sev = 'error'">error</xsl:when>
      <xsl:when test="$sev = 'warning'">warning</xsl:when>
      <xsl:otherwise>note</xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="text-object">
    <xsl:param name="of"/>
    <xsl:variable name="s">
      <xsl:call-template name="pick">
        <xsl:with-param name="of" select="$of"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:text>{"text": </xsl:text>
    <xsl:call-template name="json-string">
      <xsl:with-param name="s" select="$s"/>
    </xsl:call-template>
    <xsl:text>}</xsl:text>
  </xsl:template>

  <xsl:template match="f:rule">
    <!-- The first finding of the rule lends its remediation as help. -->
    <xsl:variable name="example"
        select="../f:finding[@rule = current()/@id][f:remediation][1]"/>
    <xsl:text>&#10;        {</xsl:text>
    <xsl:call-template name="json-member">
      <xsl:with-param name="name" select="'id'"/>
      <xsl:with-param name="value" select="@id"/>
    </xsl:call-template>
    <xsl:call-template name="json-member">
      <xsl:with-param name="name" select="'name'"/>
      <xsl:with-param name="value" select="translate(@id, '-.', '__')"/>
    </xsl:call-template>
    <xsl:text>"shortDescription": </xsl:text>
    <xsl:call-template name="text-object">
      <xsl:with-param name="of" select="f:title"/>
    </xsl:call-template>
    <xsl:text>, "fullDescription": </xsl:text>
    <xsl:call-template name="text-object">
      <xsl:with-param name="of" select="f:title"/>
    </xsl:call-template>
    <xsl:if test="$example">
      <xsl:text>, "help": </xsl:text>
      <xsl:call-template name="text-object">
        <xsl:with-param name="of" select="$example/f:remediation"/>
      </xsl:call-template>
    </xsl:if>
    <xsl:text>,&#10;         "defaultConfiguration": {"level": "</xsl:text>
    <xsl:call-template name="level"/>
    <xsl:text>"}, "properties": {</xsl:text>
    <xsl:call-template name="json-member">
      <xsl:with-param name="name" select="'severity'"/>
      <xsl:with-param name="value" select="@severity"/>
    </xsl:call-template>
    <xsl:call-template name="json-member">
      <xsl:with-param name="name" select="'pack'"/>
      <xsl:with-param name="value" select="@pack"/>
    </xsl:call-template>
    <xsl:text>"tags": [</xsl:text>
    <xsl:call-template name="json-string">
      <xsl:with-param name="s" select="@category"/>
    </xsl:call-template>
    <xsl:text>]</xsl:text>
    <xsl:if test="@severity = 'error' or @severity = 'warning'">
      <xsl:text>, "security-severity": "</xsl:text>
      <xsl:value-of select="substring('9.05.0', 1 + 3 * number(@severity = 'warning'), 3)"/>
      <xsl:text>"</xsl:text>
    </xsl:if>
    <xsl:text>}}</xsl:text>
    <xsl:if test="position() != last()">,</xsl:if>
  </xsl:template>

  <xsl:template match="f:finding">
    <xsl:variable name="waived">
      <xsl:call-template name="is-waived"/>
    </xsl:variable>
    <xsl:variable name="sources" select="../f:model/f:source"/>
    <xsl:variable name="source" select="($sources[@kind = 'probe'
        and current()/@object-kind = 'probe'] | $sources[@kind != 'probe'
        and current()/@object-kind != 'probe'])[1]"/>
    <xsl:variable name="rule" select="key('rule', @rule)"/>
    <xsl:text>&#10;      {</xsl:text>
    <xsl:call-template name="json-member">
      <xsl:with-param name="name" select="'ruleId'"/>
      <xsl:with-param name="value" select="@rule"/>
    </xsl:call-template>
    <xsl:if test="$rule">
      <xsl:text>"ruleIndex": </xsl:text>
      <xsl:value-of select="count($rule[1]/preceding-sibling::f:rule)"/>
      <xsl:text>, </xsl:text>
    </xsl:if>
    <xsl:text>"level": "</xsl:text>
    <xsl:call-template name="level"/>
    <xsl:text>",&#10;       "message": </xsl:text>
    <xsl:call-template name="text-object">
      <xsl:with-param name="of" select="f:message"/>
    </xsl:call-template>
    <xsl:text>,&#10;       "locations": [{"physicalLocation": {"artifactLocation": {"uri": </xsl:text>
    <xsl:call-template name="json-string">
      <xsl:with-param name="s">
        <xsl:choose>
          <xsl:when test="$source">
            <xsl:value-of select="$source/@location"/>
          </xsl:when>
          <xsl:otherwise>model.xml</xsl:otherwise>
        </xsl:choose>
      </xsl:with-param>
    </xsl:call-template>
    <xsl:text>}, "region": {"startLine": 1}},&#10;         "logicalLocations": [{</xsl:text>
    <xsl:call-template name="json-member">
      <xsl:with-param name="name" select="'name'"/>
      <xsl:with-param name="value">
        <xsl:choose>
          <xsl:when test="@connector"><xsl:value-of select="@connector"/></xsl:when>
          <xsl:otherwise><xsl:value-of select="@object"/></xsl:otherwise>
        </xsl:choose>
      </xsl:with-param>
    </xsl:call-template>
    <xsl:call-template name="json-member">
      <xsl:with-param name="name" select="'fullyQualifiedName'"/>
      <xsl:with-param name="value" select="@object"/>
    </xsl:call-template>
    <xsl:call-template name="json-member">
      <xsl:with-param name="name" select="'kind'"/>
      <xsl:with-param name="value" select="@object-kind"/>
      <xsl:with-param name="last" select="true()"/>
    </xsl:call-template>
    <xsl:text>}]}],&#10;       "partialFingerprints": {</xsl:text>
    <xsl:call-template name="json-member">
      <xsl:with-param name="name" select="'mxbpaFinding/v1'"/>
      <xsl:with-param name="value" select="concat(@rule, '|', @object)"/>
      <xsl:with-param name="last" select="true()"/>
    </xsl:call-template>
    <xsl:text>}, "properties": {</xsl:text>
    <xsl:call-template name="json-member">
      <xsl:with-param name="name" select="'severity'"/>
      <xsl:with-param name="value" select="@severity"/>
    </xsl:call-template>
    <xsl:call-template name="json-member">
      <xsl:with-param name="name" select="'category'"/>
      <xsl:with-param name="value" select="@category"/>
      <xsl:with-param name="last" select="true()"/>
    </xsl:call-template>
    <xsl:text>}</xsl:text>
    <xsl:if test="$waived = 'yes'">
      <xsl:text>, "suppressions": [{"kind": "external", "status": "accepted"}]</xsl:text>
    </xsl:if>
    <xsl:text>}</xsl:text>
    <xsl:if test="position() != last()">,</xsl:if>
  </xsl:template>
</xsl:stylesheet>
