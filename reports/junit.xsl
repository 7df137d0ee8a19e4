<?xml version="1.0" encoding="UTF-8"?>
<!--
  junit.xsl - the findings as JUnit XML, for CI dashboards.

  One testsuite per rule that ran; one testcase per object that failed the
  rule (a failure whose type is the severity, or skipped when the finding
  is waived), plus one passing testcase for the objects that passed
  together (the findings document counts them but does not name them),
  or one skipped testcase when the rule found nothing to check.

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

  <xsl:output method="xml" encoding="UTF-8" indent="yes"/>

  <xsl:key name="finding-by-rule" match="f:finding" use="@rule"/>
  <xsl:key name="rule" match="f:rule" use="@id"/>

  <xsl:template match="/">
    <xsl:apply-templates select="f:findings"/>
  </xsl:template>

  <xsl:template match="/*[not(self::f:findings)]">
    <xsl:message terminate="yes">not a findings document</xsl:message>
  </xsl:template>

  <!-- Findings that count as failures: not waived. -->
  <xsl:variable name="failing" select="/f:findings/f:finding[
      not(f:waiver[@expired = 'false'])]"/>

  <xsl:template match="f:findings">
    <xsl:variable name="passing-cases" select="count(f:rule[
        @checked - count(key('finding-by-rule', @id)) &gt; 0])"/>
    <xsl:variable name="empty-cases" select="count(f:rule[@checked = 0
        and not(key('finding-by-rule', @id))])"/>
    <xsl:variable name="relay" select="f:relay/@verdict"/>
    <testsuites name="mxbpa" time="0"
        tests="{count(f:finding) + $passing-cases + $empty-cases + 1}"
        failures="{count($failing) + number($relay = 'possible')}" errors="0"
        skipped="{count(f:finding) - count($failing) + $empty-cases +
                  number(not($relay = 'possible' or $relay = 'none-found'))}">
      <xsl:call-template name="relay-suite"/>
      <xsl:apply-templates select="f:rule"/>
      <!-- Findings of a rule the document does not list, rule by rule. -->
      <xsl:for-each select="f:finding[not(key('rule', @rule))][
          generate-id() = generate-id(key('finding-by-rule', @rule)[1])]">
        <xsl:variable name="mine" select="key('finding-by-rule', @rule)"/>
        <xsl:variable name="failures"
            select="count($mine[not(f:waiver[@expired = 'false'])])"/>
        <testsuite name="{@rule}" id="{count(../f:rule) + position() - 1}"
            tests="{count($mine)}" failures="{$failures}" errors="0"
            skipped="{count($mine) - $failures}" time="0"
            timestamp="{substring(../@generated, 1, 19)}">
          <xsl:apply-templates select="$mine"/>
        </testsuite>
      </xsl:for-each>
    </testsuites>
  </xsl:template>

  <!--
    The relay headline, first: one test case that fails when relay is
    possible, is skipped (with what is missing) when it could not be
    determined, and passes when no relay was found.
  -->
  <xsl:template name="relay-suite">
    <xsl:variable name="relay" select="f:relay/@verdict"/>
    <xsl:variable name="label">
      <xsl:call-template name="ui">
        <xsl:with-param name="k">
          <xsl:call-template name="relay-key"/>
        </xsl:with-param>
      </xsl:call-template>
    </xsl:variable>
    <xsl:variable name="detail">
      <xsl:for-each select="f:relay/*">
        <xsl:call-template name="relay-item"/>
        <xsl:if test="position() != last()">
          <xsl:text>&#10;</xsl:text>
        </xsl:if>
      </xsl:for-each>
    </xsl:variable>
    <testsuite name="relay" id="{count(f:rule) + count(f:finding)}"
        tests="1" failures="{number($relay = 'possible')}" errors="0"
        skipped="{number(not($relay = 'possible' or $relay = 'none-found'))}"
        time="0" timestamp="{substring(@generated, 1, 19)}">
      <properties>
        <property name="verdict" value="{$relay}"/>
        <property name="detail" value="{$detail}"/>
      </properties>
      <testcase classname="mxbpa.relay" name="{$label}" time="0">
        <xsl:choose>
          <xsl:when test="$relay = 'possible'">
            <failure type="relay" message="{$label}">
              <xsl:value-of select="$detail"/>
            </failure>
          </xsl:when>
          <xsl:when test="$relay = 'none-found'"/>
          <xsl:otherwise>
            <skipped message="{$label}">
              <xsl:value-of select="$detail"/>
            </skipped>
          </xsl:otherwise>
        </xsl:choose>
      </testcase>
    </testsuite>
  </xsl:template>

  <xsl:template match="f:rule">
    <xsl:variable name="mine" select="key('finding-by-rule', @id)"/>
    <xsl:variable name="passed" select="@checked - count($mine)"/>
    <xsl:variable name="title">
      <xsl:call-template name="pick">
        <xsl:with-param name="of" select="f:title"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:variable name="failures"
        select="count($mine[not(f:waiver[@expired = 'false'])])"/>
    <testsuite name="{@id}" id="{position() - 1}" package="{@pack}"
        tests="{count($mine) + number($passed &gt; 0) +
                number(@checked = 0 and not($mine))}"
        failures="{$failures}" errors="0"
        skipped="{count($mine) - $failures +
                  number(@checked = 0 and not($mine))}"
        time="0" timestamp="{substring(../@generated, 1, 19)}">
      <properties>
        <property name="title" value="{$title}"/>
        <property name="severity" value="{@severity}"/>
        <property name="category" value="{@category}"/>
        <property name="checked" value="{@checked}"/>
      </properties>
      <xsl:apply-templates select="$mine"/>
      <xsl:if test="$passed &gt; 0">
        <testcase classname="mxbpa.{@id}" time="0"
            name="{$passed} object(s) pass"/>
      </xsl:if>
      <xsl:if test="@checked = 0 and not($mine)">
        <testcase classname="mxbpa.{@id}" time="0" name="no object to check">
          <xsl:choose>
            <xsl:when test="f:not-checked">
              <skipped message="not checked: {normalize-space(f:not-checked[1])}"/>
            </xsl:when>
            <xsl:otherwise>
              <skipped message="no object to check"/>
            </xsl:otherwise>
          </xsl:choose>
        </testcase>
      </xsl:if>
    </testsuite>
  </xsl:template>

  <xsl:template match="f:finding">
    <xsl:variable name="waived">
      <xsl:call-template name="is-waived"/>
    </xsl:variable>
    <xsl:variable name="message">
      <xsl:call-template name="pick">
        <xsl:with-param name="of" select="f:message"/>
      </xsl:call-template>
    </xsl:variable>
    <testcase classname="mxbpa.{@rule}" name="{@object}" time="0">
      <xsl:choose>
        <xsl:when test="$waived = 'yes'">
          <skipped>
            <xsl:attribute name="message">
              <xsl:call-template name="ui">
                <xsl:with-param name="k" select="'waived'"/>
              </xsl:call-template>
            </xsl:attribute>
          </skipped>
        </xsl:when>
        <xsl:otherwise>
          <failure type="{@severity}" message="{$message}">
            <xsl:value-of select="$message"/>
            <xsl:if test="f:remediation">
              <xsl:text>&#10;&#10;</xsl:text>
              <xsl:call-template name="ui">
                <xsl:with-param name="k" select="'remediation'"/>
              </xsl:call-template>
              <xsl:value-of select="concat($colon, '&#10;')"/>
              <xsl:call-template name="pick">
                <xsl:with-param name="of" select="f:remediation"/>
              </xsl:call-template>
            </xsl:if>
          </failure>
        </xsl:otherwise>
      </xsl:choose>
    </testcase>
  </xsl:template>
</xsl:stylesheet>
