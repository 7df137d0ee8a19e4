<?xml version="1.0" encoding="UTF-8"?>
<!--
  html.xsl - the HTML report: one self-contained HTML5 file (inline CSS and
  script, no external resource) with the views of a best-practices analyzer:
  an executive summary (score, counts, charts drawn as inline SVG), the
  topology, critical issues, all issues by server and connector, non-default
  settings, recent changes (against a baseline), informational items, the
  rules checked and the sources.  A toolbar filters findings by severity and
  searches their text; the script that drives it only sets the hidden
  attribute and reads text, it never writes markup.

  Content-Security-Policy: the meta element carries two placeholders that
  report.c replaces with the SHA-256 of the inline style and script as
  written, so the page runs nothing it did not ship.  Inline style
  attributes are never used (the policy would block them).

  Which findings go where:
    Critical issues       severity error
    All issues            error, warning and best-practice, by server and
                          connector (errors therefore appear twice)
    Non-default settings  severity non-default
    Informational items   severity info

  Texts from the findings are text nodes only; links are made for http and
  https addresses only.

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

  <xsl:output method="html" encoding="UTF-8" indent="no"
      doctype-system="about:legacy-compat"/>

  <!-- The findings of "All issues", grouped by server then connector. -->
  <xsl:key name="issue-by-server"
      match="f:finding[@severity = 'error' or @severity = 'warning'
             or @severity = 'best-practice']"
      use="string(@server)"/>
  <xsl:key name="issue-by-connector"
      match="f:finding[@severity = 'error' or @severity = 'warning'
             or @severity = 'best-practice']"
      use="concat(@server, '&#10;', @connector)"/>

  <!-- Every finding by server, and by server and connector. -->
  <xsl:key name="finding-by-server" match="f:finding" use="string(@server)"/>
  <xsl:key name="finding-by-connector" match="f:finding"
      use="concat(@server, '&#10;', @connector)"/>

  <xsl:template match="/">
    <xsl:apply-templates select="f:findings"/>
  </xsl:template>

  <!-- Anything else is not a findings document: say so in the page. -->
  <xsl:template match="/*[not(self::f:findings)]">
    <xsl:message terminate="yes">not a findings document</xsl:message>
  </xsl:template>

  <xsl:template match="f:findings">
    <xsl:variable name="title">
      <xsl:call-template name="ui">
        <xsl:with-param name="k" select="'report-title'"/>
      </xsl:call-template>
    </xsl:variable>
    <html lang="{$L}">
      <head>
        <meta http-equiv="Content-Security-Policy"
            content="default-src 'none'; script-src 'sha256-@SCRIPT@'; style-src 'sha256-@STYLE@'; img-src data:; base-uri 'none'; form-action 'none'"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <meta name="generator" content="{$generator}"/>
        <title>
          <xsl:value-of select="concat($title, ' — ', @generated)"/>
        </title>
        <style>
          <xsl:call-template name="css"/>
        </style>
        <script>
          <xsl:call-template name="script"/>
        </script>
      </head>
      <body>
        <header class="top">
          <div class="wrap">
            <h1><xsl:value-of select="$title"/></h1>
            <xsl:call-template name="header-facts"/>
          </div>
        </header>
        <nav>
          <xsl:attribute name="aria-label">
            <xsl:call-template name="ui">
              <xsl:with-param name="k" select="'contents'"/>
            </xsl:call-template>
          </xsl:attribute>
          <ul class="wrap">
            <xsl:call-template name="nav-item">
              <xsl:with-param name="id" select="'summary'"/>
            </xsl:call-template>
            <xsl:call-template name="nav-item">
              <xsl:with-param name="id" select="'topology'"/>
              <xsl:with-param name="n" select="count(f:model/f:server)"/>
            </xsl:call-template>
            <xsl:call-template name="nav-item">
              <xsl:with-param name="id" select="'critical'"/>
              <xsl:with-param name="n" select="count(f:finding[@severity = 'error'])"/>
            </xsl:call-template>
            <xsl:call-template name="nav-item">
              <xsl:with-param name="id" select="'all'"/>
              <xsl:with-param name="n" select="count(f:finding[
                  @severity = 'error' or @severity = 'warning'
                  or @severity = 'best-practice'])"/>
            </xsl:call-template>
            <xsl:call-template name="nav-item">
              <xsl:with-param name="id" select="'non-default'"/>
              <xsl:with-param name="n" select="count(f:finding[@severity = 'non-default'])"/>
            </xsl:call-template>
            <xsl:call-template name="nav-item">
              <xsl:with-param name="id" select="'changes'"/>
              <xsl:with-param name="n" select="count(f:changes/f:change)"/>
            </xsl:call-template>
            <xsl:call-template name="nav-item">
              <xsl:with-param name="id" select="'informational'"/>
              <xsl:with-param name="n" select="count(f:finding[@severity = 'info'])"/>
            </xsl:call-template>
            <xsl:call-template name="nav-item">
              <xsl:with-param name="id" select="'rules'"/>
              <xsl:with-param name="n" select="count(f:rule)"/>
            </xsl:call-template>
            <xsl:call-template name="nav-item">
              <xsl:with-param name="id" select="'sources'"/>
              <xsl:with-param name="n" select="count(f:model/f:source)"/>
            </xsl:call-template>
          </ul>
        </nav>
        <xsl:call-template name="toolbar"/>
        <main class="wrap">
          <xsl:call-template name="relay-headline"/>
          <xsl:call-template name="summary"/>
          <xsl:call-template name="section-topology"/>
          <xsl:call-template name="section-critical"/>
          <xsl:call-template name="section-all"/>
          <xsl:call-template name="section-simple">
            <xsl:with-param name="id" select="'non-default'"/>
            <xsl:with-param name="list" select="f:finding[@severity = 'non-default']"/>
          </xsl:call-template>
          <xsl:call-template name="section-changes"/>
          <xsl:call-template name="section-simple">
            <xsl:with-param name="id" select="'informational'"/>
            <xsl:with-param name="list" select="f:finding[@severity = 'info']"/>
          </xsl:call-template>
          <xsl:call-template name="section-rules"/>
          <xsl:call-template name="section-sources"/>
        </main>
        <footer class="wrap">
          <xsl:call-template name="ui">
            <xsl:with-param name="k" select="'rendered-by'"/>
          </xsl:call-template>
          <xsl:value-of select="concat(' ', $generator)"/>
        </footer>
      </body>
    </html>
  </xsl:template>

  <!-- Generation time and programs, under the title. -->
  <xsl:template name="header-facts">
    <dl class="facts">
      <dt>
        <xsl:call-template name="ui">
          <xsl:with-param name="k" select="'generated'"/>
        </xsl:call-template>
      </dt>
      <dd><xsl:value-of select="@generated"/></dd>
      <dt>
        <xsl:call-template name="ui">
          <xsl:with-param name="k" select="'analysed-by'"/>
        </xsl:call-template>
      </dt>
      <dd><xsl:value-of select="@generator"/></dd>
      <xsl:for-each select="f:model[@collected]">
        <dt>
          <xsl:call-template name="ui">
            <xsl:with-param name="k" select="'model-collected'"/>
          </xsl:call-template>
        </dt>
        <dd><xsl:value-of select="@collected"/></dd>
      </xsl:for-each>
    </dl>
  </xsl:template>

  <xsl:template name="nav-item">
    <xsl:param name="id"/>
    <xsl:param name="n" select="''"/>
    <li>
      <a href="#{$id}">
        <xsl:call-template name="ui">
          <xsl:with-param name="k" select="$id"/>
        </xsl:call-template>
      </a>
      <xsl:if test="string($n) != ''">
        <span class="count"><xsl:value-of select="$n"/></span>
      </xsl:if>
    </li>
  </xsl:template>

  <xsl:template name="section-heading">
    <xsl:param name="id"/>
    <h2>
      <xsl:call-template name="ui">
        <xsl:with-param name="k" select="$id"/>
      </xsl:call-template>
    </h2>
    <p class="intro">
      <xsl:call-template name="ui">
        <xsl:with-param name="k" select="concat($id, '-intro')"/>
      </xsl:call-template>
    </p>
  </xsl:template>

  <!-- Counts by severity, from the summary element. -->
  <xsl:template name="summary">
    <xsl:variable name="sum" select="f:summary"/>
    <section id="summary">
      <h2>
        <xsl:call-template name="ui">
          <xsl:with-param name="k" select="'executive-summary'"/>
        </xsl:call-template>
      </h2>
      <div class="exec">
      <!-- No score when nothing was decided. -->
      <xsl:choose>
        <xsl:when test="$undecided">
          <div class="score score-none" id="score" data-score="none">
            <p class="score-note">
              <xsl:call-template name="ui">
                <xsl:with-param name="k" select="'score-none'"/>
              </xsl:call-template>
            </p>
          </div>
        </xsl:when>
        <xsl:otherwise>
          <xsl:call-template name="score"/>
        </xsl:otherwise>
      </xsl:choose>
      <table class="summary">
        <thead>
          <tr>
            <th>
              <xsl:call-template name="ui">
                <xsl:with-param name="k" select="'severity'"/>
              </xsl:call-template>
            </th>
            <th class="num">
              <xsl:call-template name="ui">
                <xsl:with-param name="k" select="'findings'"/>
              </xsl:call-template>
            </th>
          </tr>
        </thead>
        <tbody>
          <xsl:for-each select="$severities">
            <xsl:variable name="sev" select="@id"/>
            <xsl:variable name="n" select="$sum/@*[local-name() = $sev]"/>
            <tr>
              <xsl:if test="$n = 0">
                <xsl:attribute name="class">zero</xsl:attribute>
              </xsl:if>
              <td>
                <xsl:call-template name="badge">
                  <xsl:with-param name="sev" select="$sev"/>
                </xsl:call-template>
              </td>
              <td class="num"><xsl:value-of select="$n"/></td>
            </tr>
          </xsl:for-each>
        </tbody>
        <tfoot>
          <tr>
            <th>
              <xsl:call-template name="ui">
                <xsl:with-param name="k" select="'total'"/>
              </xsl:call-template>
            </th>
            <td class="num"><xsl:value-of select="$sum/@total"/></td>
          </tr>
          <tr class="aside">
            <td>
              <xsl:call-template name="ui">
                <xsl:with-param name="k" select="'rules-run'"/>
              </xsl:call-template>
            </td>
            <td class="num"><xsl:value-of select="$sum/@rules"/></td>
          </tr>
          <tr class="aside">
            <td>
              <xsl:call-template name="ui">
                <xsl:with-param name="k" select="'checks'"/>
              </xsl:call-template>
            </td>
            <td class="num"><xsl:value-of select="$sum/@checks"/></td>
          </tr>
        </tfoot>
      </table>
      </div>
      <xsl:if test="not(f:finding)">
        <p class="none">
          <xsl:call-template name="ui">
            <xsl:with-param name="k" select="$none-findings"/>
          </xsl:call-template>
        </p>
      </xsl:if>
      <xsl:call-template name="charts"/>
    </section>
  </xsl:template>

  <xsl:template name="section-critical">
    <section id="critical">
      <xsl:call-template name="section-heading">
        <xsl:with-param name="id" select="'critical'"/>
      </xsl:call-template>
      <xsl:apply-templates select="f:finding[@severity = 'error']"
          mode="card"/>
      <xsl:if test="not(f:finding[@severity = 'error'])">
        <p class="none">
          <xsl:call-template name="ui">
            <xsl:with-param name="k" select="$none-critical"/>
          </xsl:call-template>
        </p>
      </xsl:if>
    </section>
  </xsl:template>

  <!-- Issues by server (sorted by name), then connector, then the rest. -->
  <xsl:template name="section-all">
    <xsl:variable name="issues" select="f:finding[@severity = 'error'
        or @severity = 'warning' or @severity = 'best-practice']"/>
    <section id="all">
      <xsl:call-template name="section-heading">
        <xsl:with-param name="id" select="'all'"/>
      </xsl:call-template>
      <xsl:for-each select="$issues[@server][generate-id() = generate-id(
          key('issue-by-server', string(@server))[1])]">
        <xsl:sort select="@server"/>
        <xsl:call-template name="server-group">
          <xsl:with-param name="n" select="position()"/>
        </xsl:call-template>
      </xsl:for-each>
      <xsl:if test="$issues[not(@server)]">
        <h3 class="group" id="all-organisation">
          <xsl:call-template name="ui">
            <xsl:with-param name="k" select="'organisation'"/>
          </xsl:call-template>
        </h3>
        <xsl:apply-templates select="$issues[not(@server)]" mode="card"/>
      </xsl:if>
      <xsl:if test="not($issues)">
        <p class="none">
          <xsl:call-template name="ui">
            <xsl:with-param name="k" select="$none-all"/>
          </xsl:call-template>
        </p>
      </xsl:if>
    </section>
  </xsl:template>

  <!-- One server of "All issues"; the context is its first finding. -->
  <xsl:template name="server-group">
    <xsl:param name="n"/>
    <xsl:variable name="name" select="string(@server)"/>
    <xsl:variable name="mine" select="key('issue-by-server', $name)"/>
    <xsl:variable name="srv"
        select="/f:findings/f:model/f:server[@name = $name][1]"/>
    <h3 class="group" id="all-server-{$n}">
      <xsl:call-template name="ui">
        <xsl:with-param name="k" select="'server'"/>
      </xsl:call-template>
      <xsl:value-of select="concat(' ', $name)"/>
      <xsl:if test="$srv/@fqdn or $srv/@version">
        <span class="sub">
          <xsl:value-of select="$srv/@fqdn"/>
          <xsl:if test="$srv/@fqdn and $srv/@version"> · </xsl:if>
          <xsl:value-of select="$srv/@version"/>
        </span>
      </xsl:if>
    </h3>
    <xsl:if test="$mine[not(@connector)]">
      <h4 class="group">
        <xsl:call-template name="ui">
          <xsl:with-param name="k" select="'server-level'"/>
        </xsl:call-template>
      </h4>
      <xsl:apply-templates select="$mine[not(@connector)]" mode="card"/>
    </xsl:if>
    <xsl:for-each select="$mine[@connector][generate-id() = generate-id(
        key('issue-by-connector', concat($name, '&#10;', @connector))[1])]">
      <xsl:sort select="@connector"/>
      <xsl:variable name="conn" select="string(@connector)"/>
      <xsl:variable name="c" select="$srv/f:connector[@name = $conn][1]"/>
      <h4 class="group" id="all-server-{$n}-connector-{position()}">
        <xsl:call-template name="ui">
          <xsl:with-param name="k" select="'connector'"/>
        </xsl:call-template>
        <xsl:value-of select="concat(' ', $conn)"/>
        <xsl:if test="$c/@bindings or $c/@role">
          <span class="sub">
            <xsl:value-of select="$c/@role"/>
            <xsl:if test="$c/@role and $c/@bindings"> · </xsl:if>
            <xsl:value-of select="$c/@bindings"/>
          </span>
        </xsl:if>
      </h4>
      <xsl:apply-templates mode="card" select="key('issue-by-connector',
          concat($name, '&#10;', $conn))"/>
    </xsl:for-each>
  </xsl:template>

  <!-- Recent changes: what differs from the baseline, when one was given. -->
  <xsl:template name="section-changes">
    <section id="changes">
      <xsl:call-template name="section-heading">
        <xsl:with-param name="id" select="'changes'"/>
      </xsl:call-template>
      <xsl:choose>
        <xsl:when test="not(f:changes)">
          <p class="none">
            <xsl:call-template name="ui">
              <xsl:with-param name="k" select="'no-baseline'"/>
            </xsl:call-template>
          </p>
        </xsl:when>
        <xsl:when test="not(f:changes/f:change)">
          <p class="none">
            <xsl:call-template name="ui">
              <xsl:with-param name="k" select="'none-changes'"/>
            </xsl:call-template>
            <xsl:value-of select="concat(' ', f:changes/@old)"/>
          </p>
        </xsl:when>
        <xsl:otherwise>
          <p class="intro">
            <xsl:call-template name="ui">
              <xsl:with-param name="k" select="'baseline'"/>
            </xsl:call-template>
            <xsl:value-of select="concat($colon, ' ')"/>
            <code><xsl:value-of select="f:changes/@old"/></code>
          </p>
          <table class="changes">
            <thead>
              <tr>
                <xsl:call-template name="th">
                  <xsl:with-param name="k" select="'change'"/>
                </xsl:call-template>
                <xsl:call-template name="th">
                  <xsl:with-param name="k" select="'kind'"/>
                </xsl:call-template>
                <xsl:call-template name="th">
                  <xsl:with-param name="k" select="'object'"/>
                </xsl:call-template>
                <xsl:call-template name="th">
                  <xsl:with-param name="k" select="'detail'"/>
                </xsl:call-template>
              </tr>
            </thead>
            <tbody>
              <xsl:for-each select="f:changes/f:change">
                <tr class="filterable ch-{@type}" data-kind="{@kind}">
                  <td>
                    <span class="chg chg-{@type}">
                      <xsl:call-template name="ui">
                        <xsl:with-param name="k" select="concat('chg-', @type)"/>
                      </xsl:call-template>
                    </span>
                  </td>
                  <td><xsl:value-of select="@kind"/></td>
                  <td class="loc"><xsl:value-of select="@object"/></td>
                  <td class="loc">
                    <xsl:value-of select="@item"/>
                    <xsl:if test="@old or @new">
                      <xsl:if test="@item">
                        <xsl:value-of select="concat($colon, ' ')"/>
                      </xsl:if>
                      <xsl:value-of select="@old"/>
                      <xsl:if test="@old and @new"> → </xsl:if>
                      <xsl:value-of select="@new"/>
                    </xsl:if>
                  </td>
                </tr>
              </xsl:for-each>
            </tbody>
          </table>
        </xsl:otherwise>
      </xsl:choose>
    </section>
  </xsl:template>

  <xsl:template name="section-simple">
    <xsl:param name="id"/>
    <xsl:param name="list"/>
    <section id="{$id}">
      <xsl:call-template name="section-heading">
        <xsl:with-param name="id" select="$id"/>
      </xsl:call-template>
      <xsl:apply-templates select="$list" mode="card"/>
      <xsl:if test="not($list)">
        <p class="none">
          <xsl:call-template name="ui">
            <xsl:with-param name="k" select="concat('none-', $id)"/>
          </xsl:call-template>
        </p>
      </xsl:if>
    </section>
  </xsl:template>

  <!-- A table header cell holding a user interface string. -->
  <xsl:template name="th">
    <xsl:param name="k"/>
    <xsl:param name="class" select="''"/>
    <th>
      <xsl:if test="$class != ''">
        <xsl:attribute name="class">
          <xsl:value-of select="$class"/>
        </xsl:attribute>
      </xsl:if>
      <xsl:call-template name="ui">
        <xsl:with-param name="k" select="$k"/>
      </xsl:call-template>
    </th>
  </xsl:template>

  <xsl:template name="badge">
    <xsl:param name="sev" select="@severity"/>
    <span class="badge b-{$sev}">
      <xsl:call-template name="severity-label">
        <xsl:with-param name="sev" select="$sev"/>
      </xsl:call-template>
    </span>
  </xsl:template>

  <!-- One finding, in full. -->
  <xsl:template match="f:finding" mode="card">
    <xsl:variable name="waived">
      <xsl:call-template name="is-waived"/>
    </xsl:variable>
    <article class="finding filterable f-{@severity}" data-sev="{@severity}"
        data-server="{@server}">
      <xsl:if test="$waived = 'yes'">
        <xsl:attribute name="class">
          <xsl:value-of select="concat('finding filterable waived f-', @severity)"/>
        </xsl:attribute>
      </xsl:if>
      <div class="fhead">
        <xsl:call-template name="badge"/>
        <xsl:if test="$waived = 'yes'">
          <span class="waived-tag">
            <xsl:call-template name="ui">
              <xsl:with-param name="k" select="'waived'"/>
            </xsl:call-template>
          </span>
        </xsl:if>
        <span class="rule-id"><xsl:value-of select="@rule"/></span>
        <span class="ftitle">
          <xsl:call-template name="pick">
            <xsl:with-param name="of" select="f:title"/>
          </xsl:call-template>
        </span>
      </div>
      <div class="meta">
        <span>
          <xsl:call-template name="ui">
            <xsl:with-param name="k" select="'object'"/>
          </xsl:call-template>
          <xsl:value-of select="concat($colon, ' ')"/>
          <span class="kind"><xsl:value-of select="@object-kind"/></span>
          <xsl:text> </xsl:text>
          <span class="obj"><xsl:value-of select="@object"/></span>
        </span>
        <span>
          <xsl:call-template name="ui">
            <xsl:with-param name="k" select="'category'"/>
          </xsl:call-template>
          <xsl:value-of select="concat($colon, ' ', @category)"/>
        </span>
      </div>
      <xsl:for-each select="f:waiver">
        <p class="waiver"><xsl:call-template name="waiver-text"/></p>
      </xsl:for-each>
      <p class="message">
        <xsl:call-template name="pick">
          <xsl:with-param name="of" select="f:message"/>
        </xsl:call-template>
      </p>
      <xsl:if test="f:remediation">
        <xsl:call-template name="remediation"/>
      </xsl:if>
      <xsl:if test="f:reference">
        <div class="block">
          <div class="label">
            <xsl:call-template name="ui">
              <xsl:with-param name="k" select="'references'"/>
            </xsl:call-template>
          </div>
          <ul class="refs">
            <xsl:apply-templates select="f:reference"/>
          </ul>
        </div>
      </xsl:if>
      <xsl:if test="f:evidence/*">
        <div class="block">
          <div class="label">
            <xsl:call-template name="ui">
              <xsl:with-param name="k" select="'evidence'"/>
            </xsl:call-template>
          </div>
          <pre class="evidence"><xsl:apply-templates
              select="f:evidence/*" mode="evidence"/></pre>
        </div>
      </xsl:if>
      <xsl:if test="f:evidence/*/*[local-name() = 'step']">
        <xsl:call-template name="transcript"/>
      </xsl:if>
    </article>
  </xsl:template>

  <!--
    A remediation that starts with a PowerShell cmdlet (Verb-Noun) or spans
    several lines is shown as a code block, anything else as prose.
  -->
  <xsl:template name="remediation">
    <xsl:variable name="text">
      <xsl:call-template name="pick">
        <xsl:with-param name="of" select="f:remediation"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:variable name="first" select="substring-before(
        concat(normalize-space($text), ' '), ' ')"/>
    <xsl:variable name="verb" select="substring-before($first, '-')"/>
    <xsl:variable name="is-command" select="contains($text, '&#10;')
        or starts-with($first, '$')
        or ($verb != '' and contains(concat('|Get|Set|New|Remove|Add|',
            'Enable|Disable|Test|Start|Stop|Restart|Import|Export|',
            'Install|Update|Clear|'), concat('|', $verb, '|')))"/>
    <div class="block">
      <div class="label">
        <xsl:call-template name="ui">
          <xsl:with-param name="k" select="'remediation'"/>
        </xsl:call-template>
      </div>
      <xsl:choose>
        <xsl:when test="$is-command">
          <pre class="cmd"><code><xsl:value-of select="$text"/></code></pre>
        </xsl:when>
        <xsl:otherwise>
          <p><xsl:value-of select="$text"/></p>
        </xsl:otherwise>
      </xsl:choose>
    </div>
  </xsl:template>

  <xsl:template match="f:reference">
    <xsl:variable name="web">
      <xsl:call-template name="is-web-address">
        <xsl:with-param name="href" select="@href"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:variable name="label">
      <xsl:choose>
        <xsl:when test="normalize-space(.) != ''">
          <xsl:value-of select="normalize-space(.)"/>
        </xsl:when>
        <xsl:otherwise>
          <xsl:value-of select="@href"/>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <li>
      <xsl:choose>
        <xsl:when test="$web = 'yes'">
          <a rel="noreferrer">
            <xsl:attribute name="href">
              <xsl:value-of select="@href"/>
            </xsl:attribute>
            <xsl:value-of select="$label"/>
          </a>
          <span class="url"><xsl:value-of select="@href"/></span>
        </xsl:when>
        <xsl:otherwise>
          <xsl:value-of select="$label"/>
          <xsl:if test="@href and @href != $label">
            <span class="url">
              <code><xsl:value-of select="@href"/></code>
              <xsl:text> (</xsl:text>
              <xsl:call-template name="ui">
                <xsl:with-param name="k" select="'not-a-link'"/>
              </xsl:call-template>
              <xsl:text>)</xsl:text>
            </span>
          </xsl:if>
        </xsl:otherwise>
      </xsl:choose>
    </li>
  </xsl:template>

  <!-- Every rule with its counts; rules that passed are listed too. -->
  <xsl:template name="section-rules">
    <section id="rules">
      <xsl:call-template name="section-heading">
        <xsl:with-param name="id" select="'rules'"/>
      </xsl:call-template>
      <xsl:choose>
        <xsl:when test="f:rule">
          <table class="rules">
            <thead>
              <tr>
                <xsl:call-template name="th">
                  <xsl:with-param name="k" select="'rule'"/>
                </xsl:call-template>
                <xsl:call-template name="th">
                  <xsl:with-param name="k" select="'severity'"/>
                </xsl:call-template>
                <xsl:call-template name="th">
                  <xsl:with-param name="k" select="'title'"/>
                </xsl:call-template>
                <xsl:call-template name="th">
                  <xsl:with-param name="k" select="'pack'"/>
                </xsl:call-template>
                <xsl:call-template name="th">
                  <xsl:with-param name="k" select="'checked'"/>
                  <xsl:with-param name="class" select="'num'"/>
                </xsl:call-template>
                <xsl:call-template name="th">
                  <xsl:with-param name="k" select="'failed'"/>
                  <xsl:with-param name="class" select="'num'"/>
                </xsl:call-template>
                <xsl:call-template name="th">
                  <xsl:with-param name="k" select="'result'"/>
                </xsl:call-template>
              </tr>
            </thead>
            <tbody>
              <xsl:apply-templates select="f:rule"/>
            </tbody>
          </table>
        </xsl:when>
        <xsl:otherwise>
          <p class="none">
            <xsl:call-template name="ui">
              <xsl:with-param name="k" select="'none-rules'"/>
            </xsl:call-template>
          </p>
        </xsl:otherwise>
      </xsl:choose>
    </section>
  </xsl:template>

  <xsl:template match="f:rule">
    <tr class="filterable" data-sev="{@severity}">
      <td class="rule-id"><xsl:value-of select="@id"/></td>
      <td><xsl:call-template name="badge"/></td>
      <td>
        <xsl:call-template name="pick">
          <xsl:with-param name="of" select="f:title"/>
        </xsl:call-template>
      </td>
      <td><xsl:value-of select="@pack"/></td>
      <td class="num"><xsl:value-of select="@checked"/></td>
      <td class="num"><xsl:value-of select="@failed"/></td>
      <td>
        <xsl:choose>
          <xsl:when test="f:disabled">
            <span class="disabled" title="{normalize-space(f:disabled)}">
              <xsl:call-template name="ui">
                <xsl:with-param name="k" select="'disabled'"/>
              </xsl:call-template>
              <xsl:value-of select="concat($colon, ' ', normalize-space(f:disabled))"/>
            </span>
          </xsl:when>
          <xsl:otherwise>
            <xsl:variable name="status">
              <xsl:call-template name="rule-status"/>
            </xsl:variable>
            <span class="st-{$status}">
              <xsl:call-template name="ui">
                <xsl:with-param name="k" select="concat('st-', $status)"/>
              </xsl:call-template>
            </span>
            <xsl:for-each select="f:not-checked">
              <br/><span class="why"><xsl:value-of select="."/></span>
            </xsl:for-each>
          </xsl:otherwise>
        </xsl:choose>
      </td>
    </tr>
  </xsl:template>

  <!--
    First in the report: can anyone relay through these servers?  The
    verdict, then where and how, what is missing, or the data it rests on.
  -->
  <xsl:template name="relay-headline">
    <xsl:variable name="key">
      <xsl:call-template name="relay-key"/>
    </xsl:variable>
    <section id="relay" class="{$key}">
      <h2>
        <xsl:call-template name="ui">
          <xsl:with-param name="k" select="'relay'"/>
        </xsl:call-template>
        <xsl:value-of select="concat($colon, ' ')"/>
        <xsl:call-template name="ui">
          <xsl:with-param name="k" select="$key"/>
        </xsl:call-template>
      </h2>
      <xsl:if test="f:relay/*">
        <ul>
          <xsl:for-each select="f:relay/*">
            <li><xsl:call-template name="relay-item"/></li>
          </xsl:for-each>
        </ul>
      </xsl:if>
    </section>
  </xsl:template>

  <xsl:template name="section-sources">
    <section id="sources">
      <h2>
        <xsl:call-template name="ui">
          <xsl:with-param name="k" select="'sources'"/>
        </xsl:call-template>
      </h2>
      <xsl:for-each select="f:model[@sha256]">
        <p class="intro">
          <xsl:call-template name="ui">
            <xsl:with-param name="k" select="'model-sha256'"/>
          </xsl:call-template>
          <xsl:value-of select="concat($colon, ' ')"/>
          <code class="hash"><xsl:value-of select="@sha256"/></code>
        </p>
      </xsl:for-each>
      <xsl:choose>
        <xsl:when test="f:model/f:source">
          <table class="sources">
            <thead>
              <tr>
                <xsl:call-template name="th">
                  <xsl:with-param name="k" select="'kind'"/>
                </xsl:call-template>
                <xsl:call-template name="th">
                  <xsl:with-param name="k" select="'location'"/>
                </xsl:call-template>
                <xsl:call-template name="th">
                  <xsl:with-param name="k" select="'objects'"/>
                  <xsl:with-param name="class" select="'num'"/>
                </xsl:call-template>
                <xsl:call-template name="th">
                  <xsl:with-param name="k" select="'sha256'"/>
                </xsl:call-template>
              </tr>
            </thead>
            <tbody>
              <xsl:for-each select="f:model/f:source">
                <tr>
                  <td>
                    <xsl:value-of select="@kind"/>
                    <xsl:if test="@object-type">
                      <span class="sub"><xsl:value-of select="@object-type"/></span>
                    </xsl:if>
                  </td>
                  <td class="loc"><xsl:value-of select="@location"/></td>
                  <td class="num"><xsl:value-of select="@objects"/></td>
                  <td><code class="hash"><xsl:value-of select="@sha256"/></code></td>
                </tr>
              </xsl:for-each>
            </tbody>
          </table>
        </xsl:when>
        <xsl:otherwise>
          <p class="none">
            <xsl:call-template name="ui">
              <xsl:with-param name="k" select="'no-sources'"/>
            </xsl:call-template>
          </p>
        </xsl:otherwise>
      </xsl:choose>
    </section>
  </xsl:template>

  <!--
    The score: the share of checks passed, each weighed by its rule's
    severity (error 10, warning 5, best practice 2, non-default 1, info 0);
    waived findings do not count against it.
  -->
  <xsl:template name="score">
    <xsl:variable name="live" select="f:finding[not(f:waiver[@expired = 'false'])]"/>
    <xsl:variable name="lost" select="10 * count($live[@severity = 'error'])
        + 5 * count($live[@severity = 'warning'])
        + 2 * count($live[@severity = 'best-practice'])
        + count($live[@severity = 'non-default'])"/>
    <xsl:variable name="max" select="10 * sum(f:rule[@severity = 'error']/@checked)
        + 5 * sum(f:rule[@severity = 'warning']/@checked)
        + 2 * sum(f:rule[@severity = 'best-practice']/@checked)
        + sum(f:rule[@severity = 'non-default']/@checked)"/>
    <!-- Only what was checked counts: no score when nothing was. -->
    <xsl:variable name="raw">
      <xsl:choose>
        <xsl:when test="$max &gt; 0 and $lost &lt; $max">
          <xsl:value-of select="floor(100 * ($max - $lost) div $max)"/>
        </xsl:when>
        <xsl:when test="$max &gt; 0">0</xsl:when>
        <xsl:otherwise>100</xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <!-- An open error caps the score: it is never "good" with one. -->
    <xsl:variable name="score">
      <xsl:choose>
        <xsl:when test="$live[@severity = 'error'] and $raw &gt; 49">49</xsl:when>
        <xsl:otherwise><xsl:value-of select="$raw"/></xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:variable name="band">
      <xsl:choose>
        <xsl:when test="$score &gt;= 90">good</xsl:when>
        <xsl:when test="$score &gt;= 50">fair</xsl:when>
        <xsl:otherwise>poor</xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:choose>
    <xsl:when test="$max = 0">
      <div class="score score-none" id="score">
        <p class="score-note">
          <xsl:call-template name="ui">
            <xsl:with-param name="k" select="'no-score'"/>
          </xsl:call-template>
        </p>
      </div>
    </xsl:when>
    <xsl:otherwise>
    <div class="score score-{$band}" id="score" data-score="{$score}">
      <div class="score-value"><xsl:value-of select="$score"/></div>
      <div class="score-label">
        <xsl:call-template name="ui">
          <xsl:with-param name="k" select="'score'"/>
        </xsl:call-template>
        <xsl:text> / 100 · </xsl:text>
        <xsl:call-template name="ui">
          <xsl:with-param name="k" select="concat('band-', $band)"/>
        </xsl:call-template>
      </div>
      <p class="score-note">
        <xsl:call-template name="ui">
          <xsl:with-param name="k" select="'score-note'"/>
        </xsl:call-template>
      </p>
    </div>
    </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Findings by severity and by server, as inline SVG bar charts. -->
  <xsl:template name="charts">
    <xsl:variable name="all" select="f:finding"/>
    <xsl:variable name="max-sev">
      <xsl:for-each select="$severities">
        <xsl:sort select="count($all[@severity = current()/@id])"
            data-type="number" order="descending"/>
        <xsl:if test="position() = 1">
          <xsl:value-of select="count($all[@severity = current()/@id])"/>
        </xsl:if>
      </xsl:for-each>
    </xsl:variable>
    <xsl:variable name="servers" select="$all[@server][generate-id() =
        generate-id(key('finding-by-server', string(@server))[1])]"/>
    <xsl:variable name="max-srv">
      <xsl:for-each select="$servers">
        <xsl:sort select="count(key('finding-by-server', string(@server)))"
            data-type="number" order="descending"/>
        <xsl:if test="position() = 1">
          <xsl:value-of select="count(key('finding-by-server', string(@server)))"/>
        </xsl:if>
      </xsl:for-each>
    </xsl:variable>
    <div class="charts">
      <figure class="chart">
        <figcaption>
          <xsl:call-template name="ui">
            <xsl:with-param name="k" select="'chart-severity'"/>
          </xsl:call-template>
        </figcaption>
        <svg xmlns="http://www.w3.org/2000/svg" id="chart-severity" role="img"
            width="460" height="{20 + 26 * 5}" viewBox="0 0 460 {20 + 26 * 5}">
          <xsl:for-each select="$severities">
            <xsl:variable name="n" select="count($all[@severity = current()/@id])"/>
            <xsl:variable name="y" select="10 + 26 * (position() - 1)"/>
            <text x="130" y="{$y + 14}" class="lbl" text-anchor="end">
              <xsl:call-template name="severity-label">
                <xsl:with-param name="sev" select="@id"/>
              </xsl:call-template>
            </text>
            <rect x="140" y="{$y}" height="18" class="bar s-{@id}"
                width="{floor(260 * $n div ($max-sev + number($max-sev = 0)))}"/>
            <text class="val" y="{$y + 14}"
                x="{146 + floor(260 * $n div ($max-sev + number($max-sev = 0)))}">
              <xsl:value-of select="$n"/>
            </text>
          </xsl:for-each>
        </svg>
      </figure>
      <xsl:if test="$servers">
        <figure class="chart">
          <figcaption>
            <xsl:call-template name="ui">
              <xsl:with-param name="k" select="'chart-server'"/>
            </xsl:call-template>
          </figcaption>
          <svg xmlns="http://www.w3.org/2000/svg" id="chart-server" role="img"
              width="460" height="{20 + 26 * count($servers)}"
              viewBox="0 0 460 {20 + 26 * count($servers)}">
            <xsl:for-each select="$servers">
              <xsl:sort select="@server"/>
              <xsl:variable name="mine" select="key('finding-by-server', string(@server))"/>
              <xsl:variable name="y" select="10 + 26 * (position() - 1)"/>
              <text x="130" y="{$y + 14}" class="lbl" text-anchor="end">
                <xsl:value-of select="substring(@server, 1, 18)"/>
              </text>
              <xsl:for-each select="$severities">
                <xsl:variable name="before"
                    select="count($mine[@severity = current()/preceding-sibling::t:sev/@id])"/>
                <xsl:variable name="n" select="count($mine[@severity = current()/@id])"/>
                <xsl:if test="$n &gt; 0">
                  <rect y="{$y}" height="18" class="bar s-{@id}"
                      x="{140 + floor(260 * $before div $max-srv)}"
                      width="{floor(260 * ($before + $n) div $max-srv) - floor(260 * $before div $max-srv)}"/>
                </xsl:if>
              </xsl:for-each>
              <text class="val" y="{$y + 14}"
                  x="{146 + floor(260 * count($mine) div $max-srv)}">
                <xsl:value-of select="count($mine)"/>
              </text>
            </xsl:for-each>
          </svg>
        </figure>
      </xsl:if>
    </div>
  </xsl:template>

  <!-- The worst severity among findings, or "ok". -->
  <xsl:template name="worst">
    <xsl:param name="of"/>
    <xsl:variable name="live" select="$of[not(f:waiver[@expired = 'false'])]"/>
    <xsl:choose>
      <xsl:when test="$live[@severity = 'error']">error</xsl:when>
      <xsl:when test="$live[@severity = 'warning']">warning</xsl:when>
      <xsl:when test="$live[@severity = 'best-practice']">best-practice</xsl:when>
      <xsl:when test="$live[@severity = 'non-default']">non-default</xsl:when>
      <xsl:when test="$live[@severity = 'info']">info</xsl:when>
      <xsl:otherwise>ok</xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Servers, their connectors and bindings, coloured by worst finding. -->
  <xsl:template name="section-topology">
    <section id="topology">
      <xsl:call-template name="section-heading">
        <xsl:with-param name="id" select="'topology'"/>
      </xsl:call-template>
      <div class="topo">
        <xsl:for-each select="f:model/f:server">
          <xsl:variable name="sname" select="string(@name)"/>
          <xsl:variable name="sworst">
            <xsl:call-template name="worst">
              <xsl:with-param name="of" select="key('finding-by-server', $sname)"/>
            </xsl:call-template>
          </xsl:variable>
          <div class="srv w-{$sworst}">
            <div class="srv-name">
              <span class="dot w-{$sworst}"/>
              <xsl:value-of select="@name"/>
              <span class="sub">
                <xsl:value-of select="@fqdn"/>
                <xsl:if test="@fqdn and @version"> · </xsl:if>
                <xsl:value-of select="@version"/>
              </span>
            </div>
            <ul class="conns">
              <xsl:for-each select="f:connector">
                <xsl:variable name="mine" select="key('finding-by-connector',
                    concat($sname, '&#10;', @name))"/>
                <xsl:variable name="worst">
                  <xsl:call-template name="worst">
                    <xsl:with-param name="of" select="$mine"/>
                  </xsl:call-template>
                </xsl:variable>
                <li class="conn w-{$worst}" data-worst="{$worst}">
                  <span class="conn-name"><xsl:value-of select="@name"/></span>
                  <xsl:if test="@enabled = 'false'">
                    <span class="off">
                      <xsl:call-template name="ui">
                        <xsl:with-param name="k" select="'disabled'"/>
                      </xsl:call-template>
                    </span>
                  </xsl:if>
                  <span class="conn-meta">
                    <xsl:value-of select="@role"/>
                    <xsl:if test="@role and @bindings"> · </xsl:if>
                    <xsl:value-of select="@bindings"/>
                  </span>
                  <span class="conn-count">
                    <xsl:choose>
                      <xsl:when test="$worst = 'ok'">
                        <xsl:call-template name="ui">
                          <xsl:with-param name="k" select="'no-finding'"/>
                        </xsl:call-template>
                      </xsl:when>
                      <xsl:otherwise>
                        <xsl:value-of select="count($mine)"/>
                        <xsl:text> · </xsl:text>
                        <xsl:call-template name="severity-label">
                          <xsl:with-param name="sev" select="$worst"/>
                        </xsl:call-template>
                      </xsl:otherwise>
                    </xsl:choose>
                  </span>
                </li>
              </xsl:for-each>
            </ul>
          </div>
        </xsl:for-each>
        <xsl:if test="not(f:model/f:server)">
          <p class="none">
            <xsl:call-template name="ui">
              <xsl:with-param name="k" select="'no-servers'"/>
            </xsl:call-template>
          </p>
        </xsl:if>
      </div>
    </section>
  </xsl:template>

  <!-- Filter by severity and search; shown by the script only. -->
  <xsl:template name="toolbar">
    <div class="toolbar" id="toolbar" hidden="hidden">
      <div class="wrap">
        <label for="f-sev">
          <xsl:call-template name="ui">
            <xsl:with-param name="k" select="'severity'"/>
          </xsl:call-template>
        </label>
        <select id="f-sev">
          <option value="">
            <xsl:call-template name="ui">
              <xsl:with-param name="k" select="'every-severity'"/>
            </xsl:call-template>
          </option>
          <xsl:for-each select="$severities">
            <option value="{@id}">
              <xsl:call-template name="severity-label">
                <xsl:with-param name="sev" select="@id"/>
              </xsl:call-template>
            </option>
          </xsl:for-each>
        </select>
        <label for="f-q">
          <xsl:call-template name="ui">
            <xsl:with-param name="k" select="'search'"/>
          </xsl:call-template>
        </label>
        <input type="search" id="f-q" autocomplete="off"/>
        <span class="shown">
          <output id="f-shown"/>
          <xsl:text> </xsl:text>
          <xsl:call-template name="ui">
            <xsl:with-param name="k" select="'shown'"/>
          </xsl:call-template>
        </span>
      </div>
    </div>
  </xsl:template>

  <!-- A probe's transcript, one line per step, from its evidence. -->
  <xsl:template name="transcript">
    <div class="block">
      <div class="label">
        <xsl:call-template name="ui">
          <xsl:with-param name="k" select="'transcript'"/>
        </xsl:call-template>
      </div>
      <pre class="transcript">
        <xsl:for-each select="f:evidence/*/*[local-name() = 'step']">
          <xsl:value-of select="concat(substring('       ', 1,
              7 - string-length(@at-ms)), @at-ms, ' ms  ')"/>
          <xsl:choose>
            <xsl:when test="@dir = 'send'">C: </xsl:when>
            <xsl:when test="@dir = 'recv'">S: </xsl:when>
            <xsl:otherwise>-- </xsl:otherwise>
          </xsl:choose>
          <xsl:value-of select="@text"/>
          <xsl:text>&#10;</xsl:text>
        </xsl:for-each>
      </pre>
    </div>
  </xsl:template>

  <!--
    The page's script: shows the toolbar and filters elements of class
    "filterable" by their data-sev and their text.  "#sev=warning&q=relay"
    in the address presets the filter.  It reads text and sets the hidden
    attribute; it never writes markup.
  -->
  <xsl:template name="script">
    <xsl:text>
(function () {
  "use strict";
  function setup() {
    var bar = document.getElementById("toolbar");
    var sev = document.getElementById("f-sev");
    var q = document.getElementById("f-q");
    var shown = document.getElementById("f-shown");
    var items = document.querySelectorAll(".filterable");
    function apply() {
      var s = sev.value, t = q.value.trim().toLowerCase(), n = 0, i, e, ok;
      for (i = 0; i !== items.length; i++) {
        e = items[i];
        ok = (s === "" || !e.hasAttribute("data-sev") ||
              e.getAttribute("data-sev") === s) &amp;&amp;
             (t === "" || e.textContent.toLowerCase().indexOf(t) !== -1);
        e.hidden = !ok;
        if (ok &amp;&amp; e.hasAttribute("data-sev")) { n++; }
      }
      shown.textContent = String(n);
      document.documentElement.setAttribute("data-filter", s + "|" + t);
    }
    function fromHash() {
      var parts = location.hash.replace(/^#/, "").split("&amp;"), i, kv;
      for (i = 0; i !== parts.length; i++) {
        kv = parts[i].split("=");
        if (kv[0] === "sev") { sev.value = decodeURIComponent(kv[1] || ""); }
        if (kv[0] === "q") { q.value = decodeURIComponent(kv.slice(1).join("=")); }
      }
      if (sev.selectedIndex === -1) { sev.value = ""; }
    }
    sev.addEventListener("change", apply);
    q.addEventListener("input", apply);
    window.addEventListener("hashchange", function () { fromHash(); apply(); });
    window.addEventListener("beforeprint", function () {
      sev.value = ""; q.value = ""; apply();
    });
    fromHash();
    apply();
    bar.hidden = false;
    document.documentElement.setAttribute("data-ready", "1");
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
}());
</xsl:text>
  </xsl:template>

  <xsl:template name="css">
    <xsl:text>
:root {
  --error: #c62828; --warning: #e65100; --best-practice: #1565c0;
  --non-default: #6a1b9a; --info: #616161;
  --ink: #1f2328; --muted: #57606a; --line: #d0d7de; --soft: #f6f8fa;
}
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body {
  margin: 0; color: var(--ink); background: #fff;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto,
    "Helvetica Neue", Arial, "Noto Sans", "DejaVu Sans", sans-serif;
}
.wrap { max-width: 1100px; margin: 0 auto; padding: 0 24px; }
header.top { background: #24292f; color: #fff; padding: 22px 0 16px; }
header.top h1 { margin: 0 0 10px; font-size: 26px; font-weight: 600; }
dl.facts {
  display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px;
  margin: 0; font-size: 14px;
}
dl.facts dt { color: #afb8c1; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
nav {
  position: sticky; top: 0; z-index: 1; background: #fff;
  border-bottom: 1px solid var(--line); box-shadow: 0 1px 3px rgba(0,0,0,.06);
}
nav ul {
  display: flex; flex-wrap: wrap; gap: 4px 22px; list-style: none;
  margin: 0 auto; padding-top: 10px; padding-bottom: 10px;
}
nav a { color: var(--ink); text-decoration: none; font-weight: 500; }
nav a:hover { text-decoration: underline; }
nav .count, h2 .count {
  display: inline-block; margin-left: 6px; padding: 0 7px; border-radius: 9px;
  background: var(--soft); border: 1px solid var(--line); color: var(--muted);
  font-size: 12px;
}
main { padding-bottom: 40px; }
section { padding-top: 8px; }
h2 {
  margin: 32px 0 6px; padding-bottom: 4px; font-size: 22px;
  border-bottom: 2px solid var(--line);
}
h3.group {
  margin: 26px 0 8px; font-size: 18px; padding: 6px 10px;
  background: var(--soft); border-radius: 4px;
}
h4.group { margin: 18px 0 6px; font-size: 16px; color: #32383f; }
.sub {
  margin-left: 10px; font-weight: normal; font-size: 13px; color: var(--muted);
}
p.intro { margin: 4px 0 12px; color: var(--muted); }
p.none { font-style: italic; color: var(--muted); }
table { border-collapse: collapse; width: 100%; margin: 8px 0; }
th, td {
  text-align: left; vertical-align: top; padding: 6px 10px;
  border-bottom: 1px solid var(--line);
}
thead th { background: var(--soft); font-size: 13px; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
table.summary { width: auto; min-width: 320px; }
table.summary tr.zero td { color: var(--muted); }
table.summary tr.zero .badge { opacity: .45; }
table.summary tfoot th, table.summary tfoot td { font-weight: 600; }
table.summary tr.aside td { font-weight: normal; color: var(--muted); }
.badge {
  display: inline-block; min-width: 8.5em; padding: 1px 8px;
  border-radius: 10px; background: var(--info); color: #fff;
  font-size: 12px; font-weight: 600; line-height: 18px; text-align: center;
  letter-spacing: .02em; text-transform: uppercase; white-space: nowrap;
}
.b-error { background: var(--error); }
.b-warning { background: var(--warning); }
.b-best-practice { background: var(--best-practice); }
.b-non-default { background: var(--non-default); }
.b-info { background: var(--info); }
article.finding {
  margin: 12px 0 16px; padding: 12px 16px;
  border: 1px solid var(--line); border-left: 6px solid var(--info);
  border-radius: 6px; background: #fff;
}
article.f-error { border-left-color: var(--error); }
article.f-warning { border-left-color: var(--warning); }
article.f-best-practice { border-left-color: var(--best-practice); }
article.f-non-default { border-left-color: var(--non-default); }
.fhead { display: flex; flex-wrap: wrap; align-items: baseline; gap: 4px 10px; }
.fhead .ftitle { font-size: 16px; font-weight: 600; }
.rule-id {
  font-family: ui-monospace, SFMono-Regular, Menlo, Consolas,
    "DejaVu Sans Mono", monospace;
  font-size: 13px; color: var(--muted); white-space: nowrap;
}
.meta {
  display: flex; flex-wrap: wrap; gap: 2px 18px; margin-top: 4px;
  font-size: 13px; color: var(--muted);
}
.meta .obj { color: var(--ink); font-weight: 500; }
p.message { margin: 10px 0; overflow-wrap: anywhere; }
.block { margin: 10px 0 0; }
.label {
  font-size: 12px; font-weight: 700; text-transform: uppercase;
  letter-spacing: .04em; color: var(--muted); margin-bottom: 3px;
}
.block p { margin: 0; }
pre, code {
  font-family: ui-monospace, SFMono-Regular, Menlo, Consolas,
    "DejaVu Sans Mono", monospace;
}
pre {
  margin: 0; padding: 8px 12px; font-size: 12.5px; line-height: 1.45;
  white-space: pre-wrap; overflow-wrap: anywhere;
  border: 1px solid var(--line); border-radius: 4px; background: var(--soft);
}
pre.cmd { background: #1f2328; color: #f0f3f6; border-color: #1f2328; }
pre.evidence { max-height: 30em; overflow: auto; }
p.waiver { font-weight: bold; }
ul.refs { margin: 0; padding-left: 20px; }
ul.refs .url {
  display: block; font-size: 12px; color: var(--muted); overflow-wrap: anywhere;
}
a { color: #0550ae; }
code.hash { font-size: 12px; overflow-wrap: anywhere; }
td.loc { overflow-wrap: anywhere; }
.pass, .st-passed { color: #1a7f37; font-weight: 600; }
.fail, .st-failed { color: var(--error); font-weight: 600; }
.st-not-checked { color: var(--warning); font-weight: 700; }
.st-not-applicable { color: var(--muted); }
.why { font-size: 12px; color: var(--muted); }
#relay { border-left: 6px solid var(--muted); padding: 4px 14px; margin: 12px 0; }
#relay.relay-possible { border-left-color: var(--error); }
#relay.relay-none-found { border-left-color: #1a7f37; }
#relay.relay-undetermined { border-left-color: var(--warning); }
footer { color: var(--muted); font-size: 13px; padding-bottom: 24px; }
.toolbar {
  background: var(--soft);
  border-bottom: 1px solid var(--line); font-size: 14px;
}
.toolbar .wrap {
  display: flex; flex-wrap: wrap; align-items: center; gap: 6px 12px;
  padding-top: 8px; padding-bottom: 8px;
}
.toolbar label { font-weight: 600; color: var(--muted); }
.toolbar select, .toolbar input {
  font: inherit; padding: 3px 6px; border: 1px solid var(--line);
  border-radius: 4px; background: #fff;
}
.toolbar input { min-width: 16em; }
.toolbar .shown { color: var(--muted); margin-left: auto; }
[hidden] { display: none !important; }
.exec { display: flex; flex-wrap: wrap; gap: 16px 32px; align-items: flex-start; }
.score {
  min-width: 220px; max-width: 320px; padding: 14px 18px; border-radius: 8px;
  border: 1px solid var(--line); border-top: 6px solid var(--info);
}
.score-good { border-top-color: #1a7f37; }
.score-fair { border-top-color: var(--warning); }
.score-poor { border-top-color: var(--error); }
.score-value { font-size: 44px; font-weight: 700; line-height: 1.1; }
.score-label { font-weight: 600; }
.score-note { margin: 6px 0 0; font-size: 12px; color: var(--muted); }
.charts { display: flex; flex-wrap: wrap; gap: 8px 32px; margin-top: 12px; }
figure.chart { margin: 0; }
figure.chart figcaption { font-weight: 600; font-size: 14px; margin-bottom: 2px; }
svg .lbl { font-size: 12px; fill: var(--ink); }
svg .val { font-size: 12px; fill: var(--muted); }
.s-error { fill: var(--error); }
.s-warning { fill: var(--warning); }
.s-best-practice { fill: var(--best-practice); }
.s-non-default { fill: var(--non-default); }
.s-info { fill: var(--info); }
.topo { display: grid; grid-template-columns: repeat(auto-fill, minmax(320px, 1fr)); gap: 14px; }
.srv {
  border: 1px solid var(--line); border-top: 5px solid #1a7f37;
  border-radius: 6px; padding: 8px 12px;
}
.srv-name { font-weight: 600; }
.srv-name .sub { display: block; margin-left: 0; }
ul.conns { list-style: none; margin: 8px 0 0; padding: 0; }
li.conn {
  margin: 4px 0; padding: 4px 8px; border-left: 5px solid #1a7f37;
  background: var(--soft); border-radius: 3px; font-size: 13px;
}
.conn-name { font-weight: 600; }
.conn-meta, .conn-count { display: block; color: var(--muted); font-size: 12px; }
.off { margin-left: 6px; font-size: 11px; color: var(--muted); text-transform: uppercase; }
.srv.w-error, li.conn.w-error { border-color: var(--error); }
.srv.w-warning, li.conn.w-warning { border-color: var(--warning); }
.srv.w-best-practice, li.conn.w-best-practice { border-color: var(--best-practice); }
.srv.w-non-default, li.conn.w-non-default { border-color: var(--non-default); }
.srv.w-info, li.conn.w-info { border-color: var(--info); }
.srv { border-left-color: var(--line); border-right-color: var(--line); border-bottom-color: var(--line); }
.dot { display: inline-block; width: 10px; height: 10px; border-radius: 5px; margin-right: 6px; background: #1a7f37; }
.dot.w-error { background: var(--error); }
.dot.w-warning { background: var(--warning); }
.dot.w-best-practice { background: var(--best-practice); }
.dot.w-non-default { background: var(--non-default); }
.dot.w-info { background: var(--info); }
article.waived { opacity: .65; border-style: dashed; }
.waived-tag {
  padding: 0 6px; border: 1px solid var(--muted); border-radius: 8px;
  font-size: 11px; text-transform: uppercase; color: var(--muted);
}
table.changes td { font-size: 13px; }
.chg { font-weight: 600; }
.chg-added { color: #1a7f37; }
.chg-removed { color: var(--error); }
.chg-changed { color: var(--warning); }
pre.transcript { max-height: 24em; overflow: auto; }
@media print {
  nav, .toolbar { display: none !important; }
  [hidden] { display: block !important; }
  tr[hidden] { display: table-row !important; }
  body { font-size: 10.5pt; }
  header.top { background: #fff; color: var(--ink); border-bottom: 3px solid var(--ink); }
  dl.facts dt { color: var(--muted); }
  section { break-before: page; }
  section#summary { break-before: auto; }
  article.finding, tr, h3.group, h4.group { break-inside: avoid; }
  h2, h3, h4 { break-after: avoid; }
  pre.evidence { max-height: none; overflow: visible; }
  a { color: var(--ink); }
}
</xsl:text>
  </xsl:template>
</xsl:stylesheet>
