<?xml version="1.0" encoding="UTF-8"?>
<!--
  common.xsl - what the report stylesheets share: the parameters, the user
  interface strings in English and French, the choice of a text by language,
  severity names and the evidence printer.

  Included by html.xsl and text.xsl.  It loads no file: the strings live in
  this stylesheet because reports run with document() forbidden.  Every
  string taken from the findings is written as a text node, so output
  escaping protects the report from markup in the data.

  SPDX-License-Identifier: ISC
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:f="urn:mxbpa:findings:1"
    xmlns:t="urn:mxbpa:report:strings"
    xmlns:exsl="http://exslt.org/common"
    xmlns:str="http://exslt.org/strings"
    exclude-result-prefixes="f t exsl str">

  <!-- Language of the report: "en" or "fr"; anything else is English. -->
  <xsl:param name="lang" select="'en'"/>
  <!-- Name and version of the program rendering the report. -->
  <xsl:param name="generator" select="''"/>

  <!-- "fr" when $lang is "fr", else "en". -->
  <xsl:variable name="L"
      select="substring('fren', 1 + 2 * number($lang != 'fr'), 2)"/>

  <!-- A label's colon: French puts a space before it. -->
  <xsl:variable name="colon"
      select="concat(substring(' ', 1, number($L = 'fr')), ':')"/>

  <!-- The severities from the gravest down: the order of every listing. -->
  <xsl:variable name="severities-rtf">
    <t:sev id="error"/>
    <t:sev id="warning"/>
    <t:sev id="best-practice"/>
    <t:sev id="non-default"/>
    <t:sev id="info"/>
  </xsl:variable>
  <xsl:variable name="severities"
      select="exsl:node-set($severities-rtf)/t:sev"/>

  <!-- User interface strings: one t:s per key, one attribute per language. -->
  <xsl:variable name="strings-rtf">
    <t:s k="report-title" en="Exchange receive connector audit"
         fr="Audit des connecteurs de réception Exchange"/>
    <t:s k="contents" en="Contents" fr="Sommaire"/>
    <t:s k="generated" en="Findings generated" fr="Constats générés le"/>
    <t:s k="analysed-by" en="Analysed by" fr="Analysé par"/>
    <t:s k="rendered-by" en="Rendered by" fr="Mis en forme par"/>
    <t:s k="model-collected" en="Model collected" fr="Modèle collecté le"/>
    <t:s k="model-sha256" en="Model SHA-256" fr="SHA-256 du modèle"/>
    <t:s k="summary" en="Summary" fr="Synthèse"/>
    <t:s k="executive-summary" en="Executive summary" fr="Synthèse"/>
    <t:s k="score" en="Score" fr="Note"/>
    <t:s k="band-good" en="good" fr="bon"/>
    <t:s k="band-fair" en="needs work" fr="à améliorer"/>
    <t:s k="band-poor" en="poor" fr="insuffisant"/>
    <t:s k="score-note"
         en="Share of checks passed, weighed by severity; an open error caps it at 49."
         fr="Part des vérifications réussies, pondérée par la gravité ; une erreur non corrigée la limite à 49."/>
    <t:s k="score-none"
         en="No score: no relay test could be completed, so nothing was checked."
         fr="Pas de note : aucun test de relais n'a pu aboutir, rien n'a donc été vérifié."/>
    <t:s k="chart-severity" en="Findings by severity" fr="Constats par gravité"/>
    <t:s k="chart-server" en="Findings by server" fr="Constats par serveur"/>
    <t:s k="topology" en="Topology" fr="Topologie"/>
    <t:s k="topology-intro"
         en="Servers and their receive connectors with bindings, coloured by the gravest finding."
         fr="Serveurs et connecteurs de réception avec leurs liaisons, colorés selon le constat le plus grave."/>
    <t:s k="no-servers" en="The model lists no server."
         fr="Le modèle ne contient aucun serveur."/>
    <t:s k="no-finding" en="no finding" fr="aucun constat"/>
    <t:s k="disabled" en="disabled" fr="désactivé"/>
    <t:s k="every-severity" en="All severities" fr="Toutes les gravités"/>
    <t:s k="search" en="Search" fr="Rechercher"/>
    <t:s k="shown" en="shown" fr="affichés"/>
    <t:s k="transcript" en="Probe transcript" fr="Transcription de la sonde"/>
    <t:s k="sources" en="Sources" fr="Sources"/>
    <t:s k="no-sources" en="No source is recorded."
         fr="Aucune source n'est enregistrée."/>
    <t:s k="critical" en="Critical issues" fr="Problèmes critiques"/>
    <t:s k="all" en="All issues" fr="Tous les problèmes"/>
    <t:s k="non-default" en="Non-default settings"
         fr="Paramètres non définis par défaut"/>
    <t:s k="changes" en="Recent changes" fr="Changements récents"/>
    <t:s k="changes-intro"
         en="What differs from the baseline scan: configuration and findings."
         fr="Ce qui diffère de l'analyse de référence : configuration et constats."/>
    <t:s k="no-baseline"
         en="No baseline was given (mxbpa audit with a baseline file fills this view)."
         fr="Aucune référence n'a été fournie (mxbpa audit avec un fichier de référence remplit cette vue)."/>
    <t:s k="none-changes" en="Nothing changed since"
         fr="Rien n'a changé depuis"/>
    <t:s k="baseline" en="Baseline" fr="Référence"/>
    <t:s k="change" en="Change" fr="Changement"/>
    <t:s k="detail" en="Detail" fr="Détail"/>
    <t:s k="chg-added" en="added" fr="ajouté"/>
    <t:s k="chg-removed" en="removed" fr="supprimé"/>
    <t:s k="chg-changed" en="changed" fr="modifié"/>
    <t:s k="informational" en="Informational items"
         fr="Éléments d'information"/>
    <t:s k="rules" en="Rules checked" fr="Règles vérifiées"/>
    <t:s k="critical-intro"
         en="Findings of severity error: fix these first."
         fr="Constats de gravité « erreur » : à corriger en priorité."/>
    <t:s k="all-intro"
         en="Errors, warnings and best-practice recommendations, by server and connector."
         fr="Erreurs, avertissements et recommandations de bonne pratique, par serveur et par connecteur."/>
    <t:s k="non-default-intro"
         en="Settings that differ from the Exchange defaults: check that each change is intended."
         fr="Paramètres qui diffèrent des valeurs par défaut d'Exchange : vérifiez que chaque changement est voulu."/>
    <t:s k="informational-intro"
         en="Facts about the organisation (severity info): nothing to fix."
         fr="Faits sur l'organisation (gravité « information ») : rien à corriger."/>
    <t:s k="rules-intro"
         en="Every rule that ran, with the number of objects it checked and of objects that failed it."
         fr="Toutes les règles exécutées, avec le nombre d'objets vérifiés et le nombre d'objets en échec."/>
    <t:s k="none-critical" en="No critical issue was found."
         fr="Aucun problème critique n'a été détecté."/>
    <t:s k="none-all" en="No issue was found."
         fr="Aucun problème n'a été détecté."/>
    <t:s k="none-non-default" en="No non-default setting was reported."
         fr="Aucun paramètre non défini par défaut n'a été signalé."/>
    <t:s k="none-informational" en="No informational item."
         fr="Aucun élément d'information."/>
    <t:s k="none-findings" en="No finding: every rule passed."
         fr="Aucun constat : toutes les règles sont respectées."/>
    <t:s k="none-rules" en="No rule ran." fr="Aucune règle n'a été exécutée."/>
    <t:s k="waived" en="Waived" fr="Dérogations"/>
    <t:s k="waived-by" en="WAIVED by" fr="DÉROGATION accordée par"/>
    <t:s k="waiver-on" en="on" fr="le"/>
    <t:s k="waiver-until" en="until" fr="jusqu'au"/>
    <t:s k="waiver-expired" en="Waiver EXPIRED on" fr="Dérogation EXPIRÉE le"/>
    <t:s k="waiver-granted" en="granted by" fr="accordée par"/>
    <t:s k="disabled" en="disabled" fr="désactivée"/>
    <t:s k="relay" en="Relay" fr="Relais"/>
    <t:s k="relay-possible" en="RELAY POSSIBLE" fr="RELAIS POSSIBLE"/>
    <t:s k="relay-none-found" en="NO RELAY FOUND" fr="AUCUN RELAIS TROUVÉ"/>
    <t:s k="relay-undetermined" en="RELAY COULD NOT BE DETERMINED"
         fr="RELAIS NON DÉTERMINÉ"/>
    <t:s k="relay-unknown" en="RELAY NOT JUDGED (findings of an earlier version)"
         fr="RELAIS NON JUGÉ (constats d'une version antérieure)"/>
    <t:s k="relay-where" en="where and how" fr="où et comment"/>
    <t:s k="relay-clients" en="clients that relay" fr="clients qui relaient"/>
    <t:s k="relay-missing" en="what is missing" fr="ce qui manque"/>
    <t:s k="relay-basis" en="on complete data" fr="sur des données complètes"/>
    <t:s k="st-failed" en="failed" fr="non respectée"/>
    <t:s k="st-passed" en="passed" fr="respectée"/>
    <t:s k="st-not-applicable" en="not applicable" fr="sans objet"/>
    <t:s k="st-not-checked" en="NOT CHECKED" fr="NON VÉRIFIÉE"/>
    <t:s k="st-disabled" en="disabled" fr="désactivée"/>
    <t:s k="no-score" en="No score: nothing could be checked."
         fr="Pas de note : rien n'a pu être vérifié."/>
    <t:s k="coverage" en="Coverage" fr="Couverture"/>
    <t:s k="cov-connectors" en="connectors" fr="connecteurs"/>
    <t:s k="cov-permissions" en="permission entries" fr="entrées d'autorisation"/>
    <t:s k="cov-servers" en="server objects" fr="objets serveur"/>
    <t:s k="cov-certificates" en="certificates" fr="certificats"/>
    <t:s k="cov-accepted-domains" en="accepted domains" fr="domaines acceptés"/>
    <t:s k="cov-probes" en="probes" fr="sondes"/>
    <t:s k="cov-missing" en="missing" fr="manquants"/>
    <t:s k="cov-unreadable" en="unreadable" fr="illisibles"/>
    <t:s k="cov-skipped" en="skipped" fr="ignoré"/>
    <t:s k="organisation" en="Organisation-wide" fr="Ensemble de l'organisation"/>
    <t:s k="server-level" en="Server settings" fr="Paramètres du serveur"/>
    <t:s k="server" en="Server" fr="Serveur"/>
    <t:s k="connector" en="Connector" fr="Connecteur"/>
    <t:s k="object" en="Object" fr="Objet"/>
    <t:s k="category" en="Category" fr="Catégorie"/>
    <t:s k="severity" en="Severity" fr="Gravité"/>
    <t:s k="findings" en="Findings" fr="Constats"/>
    <t:s k="total" en="Total" fr="Total"/>
    <t:s k="rules-run" en="Rules run" fr="Règles exécutées"/>
    <t:s k="checks" en="Checks (rule × object)" fr="Vérifications (règle × objet)"/>
    <t:s k="rule" en="Rule" fr="Règle"/>
    <t:s k="title" en="Title" fr="Titre"/>
    <t:s k="pack" en="Pack" fr="Pack"/>
    <t:s k="checked" en="Checked" fr="Vérifiés"/>
    <t:s k="failed" en="Failed" fr="En échec"/>
    <t:s k="result" en="Result" fr="Résultat"/>
    <t:s k="passed" en="passed" fr="respectée"/>
    <t:s k="not-passed" en="failed" fr="non respectée"/>
    <t:s k="kind" en="Kind" fr="Type"/>
    <t:s k="location" en="Location" fr="Emplacement"/>
    <t:s k="objects" en="Objects" fr="Objets"/>
    <t:s k="sha256" en="SHA-256" fr="SHA-256"/>
    <t:s k="message" en="Message" fr="Message"/>
    <t:s k="remediation" en="Remediation" fr="Correction"/>
    <t:s k="references" en="References" fr="Références"/>
    <t:s k="evidence" en="Evidence" fr="Preuves"/>
    <t:s k="waived" en="waived" fr="dérogation"/>
    <t:s k="not-a-link" en="not a web address, shown as text"
         fr="pas une adresse web, affichée en texte"/>
    <t:s k="sev-error" en="Error" fr="Erreur"/>
    <t:s k="sev-warning" en="Warning" fr="Avertissement"/>
    <t:s k="sev-best-practice" en="Best practice" fr="Bonne pratique"/>
    <t:s k="sev-non-default" en="Non-default" fr="Non par défaut"/>
    <t:s k="sev-info" en="Info" fr="Information"/>
    <t:s k="sevs-error" en="Errors" fr="Erreurs"/>
    <t:s k="sevs-warning" en="Warnings" fr="Avertissements"/>
    <t:s k="sevs-best-practice" en="Best practices" fr="Bonnes pratiques"/>
    <t:s k="sevs-non-default" en="Non-default settings"
         fr="Paramètres non définis par défaut"/>
    <t:s k="sevs-info" en="Informational items" fr="Éléments d'information"/>
  </xsl:variable>
  <xsl:variable name="strings" select="exsl:node-set($strings-rtf)/t:s"/>

  <!-- A user interface string by key, in the report's language. -->
  <!-- One line for a finding's f:waiver (the context node). -->
  <xsl:template name="waiver-text">
    <xsl:choose>
      <xsl:when test="@expired = 'true'">
        <xsl:call-template name="ui">
          <xsl:with-param name="k" select="'waiver-expired'"/>
        </xsl:call-template>
        <xsl:value-of select="concat(' ', @expires, ' (')"/>
        <xsl:call-template name="ui">
          <xsl:with-param name="k" select="'waiver-granted'"/>
        </xsl:call-template>
        <xsl:value-of select="concat(' ', @by, ', ', @date, ')')"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="ui">
          <xsl:with-param name="k" select="'waived-by'"/>
        </xsl:call-template>
        <xsl:value-of select="concat(' ', @by, ' ')"/>
        <xsl:call-template name="ui">
          <xsl:with-param name="k" select="'waiver-on'"/>
        </xsl:call-template>
        <xsl:value-of select="concat(' ', @date)"/>
        <xsl:if test="@expires">
          <xsl:text>, </xsl:text>
          <xsl:call-template name="ui">
            <xsl:with-param name="k" select="'waiver-until'"/>
          </xsl:call-template>
          <xsl:value-of select="concat(' ', @expires)"/>
        </xsl:if>
      </xsl:otherwise>
    </xsl:choose>
    <xsl:value-of select="concat($colon, ' ', normalize-space(.))"/>
  </xsl:template>

  <xsl:template name="ui">
    <xsl:param name="k"/>
    <xsl:variable name="s" select="$strings[@k = $k]"/>
    <xsl:choose>
      <xsl:when test="$L = 'fr' and $s/@fr">
        <xsl:value-of select="$s/@fr"/>
      </xsl:when>
      <xsl:when test="$s">
        <xsl:value-of select="$s/@en"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:value-of select="$k"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!--
    The result of a rule (the context f:rule): its status, or for
    documents of an earlier version, failed / passed / not-applicable
    from its counts.
  -->
  <xsl:template name="rule-status">
    <xsl:choose>
      <xsl:when test="@status"><xsl:value-of select="@status"/></xsl:when>
      <xsl:when test="f:disabled">disabled</xsl:when>
      <xsl:when test="@failed &gt; 0">failed</xsl:when>
      <xsl:when test="@checked &gt; 0">passed</xsl:when>
      <xsl:otherwise>not-applicable</xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- The relay headline's verdict key (relay-possible...). -->
  <xsl:template name="relay-key">
    <xsl:choose>
      <xsl:when test="/f:findings/f:relay/@verdict">
        <xsl:value-of select="concat('relay-', /f:findings/f:relay/@verdict)"/>
      </xsl:when>
      <xsl:otherwise>relay-unknown</xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- One line of the headline's detail (f:where, f:missing, f:basis). -->
  <xsl:template name="relay-item">
    <xsl:choose>
      <xsl:when test="self::f:where">
        <xsl:value-of select="concat(@object, $colon, ' ', normalize-space(.),
            ' (', @rule, ')')"/>
        <xsl:if test="@clients">
          <xsl:text>; </xsl:text>
          <xsl:call-template name="ui">
            <xsl:with-param name="k" select="'relay-clients'"/>
          </xsl:call-template>
          <xsl:value-of select="concat($colon, ' ', @clients)"/>
        </xsl:if>
        <xsl:if test="@waived = 'true'">
          <xsl:text> [</xsl:text>
          <xsl:call-template name="ui">
            <xsl:with-param name="k" select="'waived'"/>
          </xsl:call-template>
          <xsl:text>]</xsl:text>
        </xsl:if>
      </xsl:when>
      <xsl:otherwise>
        <xsl:value-of select="normalize-space(.)"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- The name of a severity ("Error"); unknown names are shown as is. -->
  <xsl:template name="severity-label">
    <xsl:param name="sev" select="@severity"/>
    <xsl:choose>
      <xsl:when test="$strings[@k = concat('sev-', $sev)]">
        <xsl:call-template name="ui">
          <xsl:with-param name="k" select="concat('sev-', $sev)"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise>
        <xsl:value-of select="$sev"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!--
    The text among $of (title, message or remediation elements) in the
    report's language, else in English, else the first one.
  -->
  <xsl:template name="pick">
    <xsl:param name="of"/>
    <xsl:choose>
      <xsl:when test="$of[lang($L)]">
        <xsl:value-of select="$of[lang($L)][1]"/>
      </xsl:when>
      <xsl:when test="$of[lang('en')]">
        <xsl:value-of select="$of[lang('en')][1]"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:value-of select="$of[1]"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Where a finding lies: "SERVER\connector", "SERVER" or its object. -->
  <xsl:template name="where">
    <xsl:choose>
      <xsl:when test="@server and @connector">
        <xsl:value-of select="concat(@server, '\', @connector)"/>
      </xsl:when>
      <xsl:when test="@server">
        <xsl:value-of select="@server"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:value-of select="@object"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!--
    Is the finding waived?  "yes" or nothing.  A finding is waived when it
    carries a waiver that has not expired; an expired waiver is shown but
    leaves the finding active.
  -->
  <xsl:template name="is-waived">
    <xsl:if test="f:waiver[@expired = 'false']">
      <xsl:text>yes</xsl:text>
    </xsl:if>
  </xsl:template>

  <!-- Does an address deserve a link?  Only http and https do. -->
  <xsl:template name="is-web-address">
    <xsl:param name="href"/>
    <xsl:variable name="h"
        select="translate($href, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
                'abcdefghijklmnopqrstuvwxyz')"/>
    <xsl:if test="starts-with($h, 'https://') or starts-with($h, 'http://')">
      <xsl:text>yes</xsl:text>
    </xsl:if>
  </xsl:template>

  <!--
    The evidence printer: writes a model element as indented XML text.  The
    result is text, never nodes: the renderers put it in a preformatted
    block where output escaping applies.  An element whose start tag would
    not fit in 100 columns gets one attribute per line.
  -->
  <xsl:template match="*" mode="evidence">
    <xsl:param name="indent" select="''"/>
    <xsl:variable name="one-line">
      <xsl:for-each select="@*">
        <xsl:text> </xsl:text>
        <xsl:call-template name="evidence-attribute"/>
      </xsl:for-each>
    </xsl:variable>
    <xsl:value-of select="concat($indent, '&lt;', local-name())"/>
    <xsl:choose>
      <xsl:when test="string-length($indent) + string-length(local-name())
          + string-length($one-line) &lt; 110">
        <xsl:value-of select="$one-line"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:for-each select="@*">
          <xsl:value-of select="concat('&#10;', $indent, '    ')"/>
          <xsl:call-template name="evidence-attribute"/>
        </xsl:for-each>
      </xsl:otherwise>
    </xsl:choose>
    <xsl:choose>
      <xsl:when test="not(*) and not(text()[normalize-space()])">
        <xsl:text>/&gt;&#10;</xsl:text>
      </xsl:when>
      <xsl:when test="not(*)">
        <xsl:text>&gt;</xsl:text>
        <xsl:call-template name="xml-escape">
          <xsl:with-param name="s" select="normalize-space()"/>
        </xsl:call-template>
        <xsl:value-of select="concat('&lt;/', local-name(), '&gt;&#10;')"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:text>&gt;&#10;</xsl:text>
        <xsl:for-each select="* | text()[normalize-space()]">
          <xsl:choose>
            <xsl:when test="self::*">
              <xsl:apply-templates select="." mode="evidence">
                <xsl:with-param name="indent" select="concat($indent, '  ')"/>
              </xsl:apply-templates>
            </xsl:when>
            <xsl:otherwise>
              <xsl:value-of select="concat($indent, '  ')"/>
              <xsl:call-template name="xml-escape">
                <xsl:with-param name="s" select="normalize-space()"/>
              </xsl:call-template>
              <xsl:text>&#10;</xsl:text>
            </xsl:otherwise>
          </xsl:choose>
        </xsl:for-each>
        <xsl:value-of
            select="concat($indent, '&lt;/', local-name(), '&gt;&#10;')"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- name="value" for the context attribute. -->
  <xsl:template name="evidence-attribute">
    <xsl:value-of select="concat(name(), '=&quot;')"/>
    <xsl:call-template name="xml-escape">
      <xsl:with-param name="s" select="."/>
    </xsl:call-template>
    <xsl:text>"</xsl:text>
  </xsl:template>

  <!-- Escape & < > " as XML would, so that the evidence reads as XML. -->
  <xsl:template name="xml-escape">
    <xsl:param name="s"/>
    <xsl:value-of select="str:replace(str:replace(str:replace(str:replace(
        $s, '&amp;', '&amp;amp;'), '&lt;', '&amp;lt;'), '&gt;', '&amp;gt;'),
        '&quot;', '&amp;quot;')"/>
  </xsl:template>
</xsl:stylesheet>
