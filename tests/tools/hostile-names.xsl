<?xml version="1.0" encoding="UTF-8"?>
<!--
  hostile-names.xsl - a model whose names are hostile to a shell: the same
  suffix is appended to every name a remediation may paste into a command
  (server, connector and virtual server names, identities, FQDNs, probe
  targets, certificate subjects), so that names that must agree (a
  connector "Default S" of server S, a probe target and its server's
  FQDN) still agree.  The suffix holds what PowerShell would run or stop
  at: a subexpression, a variable, a backtick, a statement separator,
  ASCII and Unicode quotes (single and double), a line feed and a
  carriage return.  Parameter: hostile, the suffix (tests/hostile-names.sh),
  with § for ' and ¶ for " (xsltproc takes no parameter holding both).
  SPDX-License-Identifier: ISC
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:m="urn:mxbpa:model:1">
  <xsl:output method="xml" encoding="UTF-8"/>
  <xsl:param name="hostile"/>
  <xsl:variable name="suffix"
      select="translate($hostile, '§¶', concat(&quot;'&quot;, '&quot;'))"/>

  <xsl:template match="@*|node()">
    <xsl:copy><xsl:apply-templates select="@*|node()"/></xsl:copy>
  </xsl:template>

  <xsl:template match="m:server/@name | m:server/@fqdn
      | m:receive-connector/@name | m:receive-connector/@identity
      | m:receive-connector/@fqdn | m:receive-connector/@tls-certificate-name
      | m:smtp-virtual-server/@display-name | m:probe/@target">
    <xsl:attribute name="{local-name()}">
      <xsl:value-of select="concat(., $suffix)"/>
    </xsl:attribute>
  </xsl:template>
</xsl:stylesheet>
