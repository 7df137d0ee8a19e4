/*
 * principal.c - well-known security principals by SID and by name (see
 * principal.h).
 *
 * SIDs: [MS-DTYP] 2.4.2.4 (well-known SID structures) and, for Exchange's
 * own principals, exchange-facts.md section 2.2 ([DEC-WKS]).  Names:
 * Windows shows a principal as "AUTHORITY\account" in its display
 * language; the authority part and the account part are both localised
 * (NT-AUTORITÄT\ANONYMOUS-ANMELDUNG on a German Windows).  The localised
 * names below, and where each comes from, are listed in
 * docs/effective-rights.md ("Principal names").  A name is matched by
 * its account part against the accounts of its authority, so every
 * spelling of the authority combines with every spelling of the account.
 * Comparison folds ASCII case only; the table spells the non-ASCII forms
 * Windows uses.
 *
 * SPDX-License-Identifier: ISC
 */
#include <string.h>
#include <strings.h>

#include "principal.h"

enum principal_auth {
	PRINCIPAL_AUTH_NONE,		/* Everyone, CREATOR OWNER */
	PRINCIPAL_AUTH_NT,		/* NT AUTHORITY */
	PRINCIPAL_AUTH_BUILTIN,		/* BUILTIN */
	PRINCIPAL_AUTH_EXCHANGE		/* MS Exchange */
};

/* The authority part of a name, in each language of the table. */
static const struct {
	enum principal_auth	 auth;
	const char		*name;
} principal_authorities[] = {
	{ PRINCIPAL_AUTH_NT,		"NT AUTHORITY" },	/* en es it ja nl ru zh-CN */
	{ PRINCIPAL_AUTH_NT,		"NT-AUTORITÄT" },	/* de */
	{ PRINCIPAL_AUTH_NT,		"AUTORITE NT" },	/* fr */
	{ PRINCIPAL_AUTH_NT,		"AUTORITÉ NT" },	/* fr, accented */
	{ PRINCIPAL_AUTH_NT,		"AUTORIDADE NT" },	/* pt-BR */
	{ PRINCIPAL_AUTH_BUILTIN,	"BUILTIN" },
	{ PRINCIPAL_AUTH_BUILTIN,	"VORDEFINIERT" },	/* de */
	{ PRINCIPAL_AUTH_EXCHANGE,	"MS Exchange" },
	{ PRINCIPAL_AUTH_NONE,		NULL }
};

/*
 * Well-known accounts: SID, authority, account name.
 */
static const struct {
	const char		*sid;
	enum principal_auth	 auth;
	const char		*name;
} principal_table[] = {
	{ "S-1-1-0", PRINCIPAL_AUTH_NONE, "Everyone" },	/* en it ja zh-CN */
	{ "S-1-1-0", PRINCIPAL_AUTH_NONE, "Jeder" },		/* de */
	{ "S-1-1-0", PRINCIPAL_AUTH_NONE, "Tout le monde" },	/* fr */
	{ "S-1-1-0", PRINCIPAL_AUTH_NONE, "Todos" },		/* es pt-BR */
	{ "S-1-1-0", PRINCIPAL_AUTH_NONE, "Tutti" },		/* it */
	{ "S-1-1-0", PRINCIPAL_AUTH_NONE, "Iedereen" },		/* nl */
	{ "S-1-1-0", PRINCIPAL_AUTH_NONE, "Все" },		/* ru */

	{ "S-1-3-0", PRINCIPAL_AUTH_NONE, "CREATOR OWNER" },
	{ "S-1-3-0", PRINCIPAL_AUTH_NONE, "ERSTELLER-BESITZER" },	/* de */
	{ "S-1-3-0", PRINCIPAL_AUTH_NONE, "CREATEUR PROPRIETAIRE" },	/* fr */

	{ "S-1-5-2", PRINCIPAL_AUTH_NT, "NETWORK" },
	{ "S-1-5-2", PRINCIPAL_AUTH_NT, "NETZWERK" },		/* de */
	{ "S-1-5-2", PRINCIPAL_AUTH_NT, "RESEAU" },		/* fr */
	{ "S-1-5-2", PRINCIPAL_AUTH_NT, "RÉSEAU" },		/* fr */
	{ "S-1-5-2", PRINCIPAL_AUTH_NT, "RED" },		/* es */
	{ "S-1-5-2", PRINCIPAL_AUTH_NT, "RETE" },		/* it */
	{ "S-1-5-2", PRINCIPAL_AUTH_NT, "NETWERK" },		/* nl */
	{ "S-1-5-2", PRINCIPAL_AUTH_NT, "REDE" },		/* pt-BR */
	{ "S-1-5-2", PRINCIPAL_AUTH_NT, "СЕТЬ" },		/* ru */

	{ "S-1-5-7", PRINCIPAL_AUTH_NT, "ANONYMOUS LOGON" },	/* en fr ja zh-CN */
	{ "S-1-5-7", PRINCIPAL_AUTH_NT, "ANONYMOUS-ANMELDUNG" },	/* de */
	{ "S-1-5-7", PRINCIPAL_AUTH_NT, "INICIO DE SESIÓN ANÓNIMO" }, /* es */
	{ "S-1-5-7", PRINCIPAL_AUTH_NT, "ACCESSO ANONIMO" },	/* it */
	{ "S-1-5-7", PRINCIPAL_AUTH_NT, "ANONIEME AANMELDING" },	/* nl */
	{ "S-1-5-7", PRINCIPAL_AUTH_NT, "LOGON ANÔNIMO" },	/* pt-BR */
	{ "S-1-5-7", PRINCIPAL_AUTH_NT, "АНОНИМНЫЙ ВХОД" },	/* ru */

	{ "S-1-5-9", PRINCIPAL_AUTH_NT, "ENTERPRISE DOMAIN CONTROLLERS" },
	{ "S-1-5-9", PRINCIPAL_AUTH_NT,
	    "DOMÄNENCONTROLLER DER ORGANISATION" },		/* de */
	{ "S-1-5-9", PRINCIPAL_AUTH_NT,
	    "CONTRÔLEURS DE DOMAINE D'ENTREPRISE" },		/* fr */
	{ "S-1-5-9", PRINCIPAL_AUTH_NT,
	    "CONTRÔLEURS DE DOMAINE D’ENTREPRISE" },		/* fr */
	{ "S-1-5-9", PRINCIPAL_AUTH_NT,
	    "CONTROLADORES DE DOMINIO DE EMPRESA" },		/* es */
	{ "S-1-5-9", PRINCIPAL_AUTH_NT,
	    "CONTROLADORES DE DOMÍNIO CORPORATIVOS" },		/* pt-BR */

	{ "S-1-5-10", PRINCIPAL_AUTH_NT, "SELF" },
	{ "S-1-5-10", PRINCIPAL_AUTH_NT, "SELBST" },		/* de */

	{ "S-1-5-11", PRINCIPAL_AUTH_NT, "Authenticated Users" }, /* en ja zh-CN */
	{ "S-1-5-11", PRINCIPAL_AUTH_NT, "Authentifizierte Benutzer" }, /* de */
	{ "S-1-5-11", PRINCIPAL_AUTH_NT, "Utilisateurs authentifiés" }, /* fr */
	{ "S-1-5-11", PRINCIPAL_AUTH_NT, "Usuarios autentificados" }, /* es */
	{ "S-1-5-11", PRINCIPAL_AUTH_NT, "Utenti autenticati" },	/* it */
	{ "S-1-5-11", PRINCIPAL_AUTH_NT, "Geverifieerde gebruikers" }, /* nl */
	{ "S-1-5-11", PRINCIPAL_AUTH_NT, "Usuários autenticados" }, /* pt-BR */
	{ "S-1-5-11", PRINCIPAL_AUTH_NT, "Прошедшие проверку" },	/* ru */

	{ "S-1-5-15", PRINCIPAL_AUTH_NT, "This Organization" },
	{ "S-1-5-15", PRINCIPAL_AUTH_NT, "Diese Organisation" },	/* de */
	{ "S-1-5-15", PRINCIPAL_AUTH_NT, "Cette organisation" },	/* fr */
	{ "S-1-5-15", PRINCIPAL_AUTH_NT, "Esta organización" },	/* es */
	{ "S-1-5-15", PRINCIPAL_AUTH_NT, "Questa organizzazione" }, /* it */
	{ "S-1-5-15", PRINCIPAL_AUTH_NT, "Deze organisatie" },	/* nl */
	{ "S-1-5-15", PRINCIPAL_AUTH_NT, "Esta Organização" },	/* pt-BR */
	{ "S-1-5-15", PRINCIPAL_AUTH_NT, "Эта организация" },	/* ru */

	{ "S-1-5-18", PRINCIPAL_AUTH_NT, "SYSTEM" },	/* en de es it ja nl zh-CN */
	{ "S-1-5-18", PRINCIPAL_AUTH_NT, "Système" },		/* fr */
	{ "S-1-5-18", PRINCIPAL_AUTH_NT, "SYSTÈME" },		/* fr */
	{ "S-1-5-18", PRINCIPAL_AUTH_NT, "SISTEMA" },		/* pt-BR */
	{ "S-1-5-18", PRINCIPAL_AUTH_NT, "СИСТЕМА" },		/* ru */

	{ "S-1-5-19", PRINCIPAL_AUTH_NT, "LOCAL SERVICE" },	/* en ja ru zh-CN */
	{ "S-1-5-19", PRINCIPAL_AUTH_NT, "LOKALER DIENST" },	/* de */
	{ "S-1-5-19", PRINCIPAL_AUTH_NT, "SERVICE LOCAL" },	/* fr */
	{ "S-1-5-19", PRINCIPAL_AUTH_NT, "SERVICIO LOCAL" },	/* es */
	{ "S-1-5-19", PRINCIPAL_AUTH_NT, "SERVIZIO LOCALE" },	/* it */
	{ "S-1-5-19", PRINCIPAL_AUTH_NT, "LOKALE SERVICE" },	/* nl */
	{ "S-1-5-19", PRINCIPAL_AUTH_NT, "SERVIÇO LOCAL" },	/* pt-BR */

	{ "S-1-5-20", PRINCIPAL_AUTH_NT, "NETWORK SERVICE" },	/* en ja ru zh-CN */
	{ "S-1-5-20", PRINCIPAL_AUTH_NT, "NETZWERKDIENST" },	/* de */
	{ "S-1-5-20", PRINCIPAL_AUTH_NT, "SERVICE RÉSEAU" },	/* fr */
	{ "S-1-5-20", PRINCIPAL_AUTH_NT, "SERVICIO DE RED" },	/* es */
	{ "S-1-5-20", PRINCIPAL_AUTH_NT, "SERVIZIO DI RETE" },	/* it */
	{ "S-1-5-20", PRINCIPAL_AUTH_NT, "NETWERKSERVICE" },	/* nl */
	{ "S-1-5-20", PRINCIPAL_AUTH_NT, "SERVIÇO DE REDE" },	/* pt-BR */

	{ "S-1-5-32-544", PRINCIPAL_AUTH_BUILTIN, "Administrators" },
	{ "S-1-5-32-544", PRINCIPAL_AUTH_BUILTIN, "Administratoren" },	/* de */
	{ "S-1-5-32-544", PRINCIPAL_AUTH_BUILTIN, "Administrateurs" },	/* fr */
	{ "S-1-5-32-544", PRINCIPAL_AUTH_BUILTIN, "Administradores" },	/* es pt-BR */
	{ "S-1-5-32-544", PRINCIPAL_AUTH_BUILTIN, "Администраторы" },	/* ru */
	{ "S-1-5-32-548", PRINCIPAL_AUTH_BUILTIN, "Account Operators" },
	{ "S-1-5-32-548", PRINCIPAL_AUTH_BUILTIN, "Konten-Operatoren" },	/* de */
	{ "S-1-5-32-548", PRINCIPAL_AUTH_BUILTIN, "Opérateurs de compte" }, /* fr */
	{ "S-1-5-32-554", PRINCIPAL_AUTH_BUILTIN,
	    "Pre-Windows 2000 Compatible Access" },
	{ "S-1-5-32-554", PRINCIPAL_AUTH_BUILTIN,
	    "Prä-Windows 2000 kompatibler Zugriff" },		/* de */
	{ "S-1-5-32-554", PRINCIPAL_AUTH_BUILTIN,
	    "Accès compatible pré-Windows 2000" },		/* fr */

	{ PRINCIPAL_SID_PARTNERS, PRINCIPAL_AUTH_EXCHANGE, "Partner Servers" },
	{ PRINCIPAL_SID_HUB, PRINCIPAL_AUTH_EXCHANGE,
	    "Hub Transport Servers" },
	{ PRINCIPAL_SID_EDGE, PRINCIPAL_AUTH_EXCHANGE,
	    "Edge Transport Servers" },
	{ PRINCIPAL_SID_EXTERNAL, PRINCIPAL_AUTH_EXCHANGE,
	    "Externally Secured Servers" },
	{ PRINCIPAL_SID_LEGACY, PRINCIPAL_AUTH_EXCHANGE,
	    "Legacy Exchange Servers" },
	{ NULL, PRINCIPAL_AUTH_NONE, NULL }
};

/* The authority of a "PART\" prefix of length n; -1 if none matches. */
static int
principal_authority(const char *name, size_t n)
{
	size_t i;

	for (i = 0; principal_authorities[i].name != NULL; i++)
		if (strlen(principal_authorities[i].name) == n &&
		    strncasecmp(principal_authorities[i].name, name, n) == 0)
			return (int)principal_authorities[i].auth;
	return -1;
}

const char *
principal_sid(const char *name)
{
	const char *bs, *account = name;
	int auth = -1;
	size_t i;

	if (name == NULL)
		return NULL;
	if ((bs = strrchr(name, '\\')) != NULL) {
		if ((auth = principal_authority(name,
		    (size_t)(bs - name))) == -1)
			return NULL;	/* DOMAIN\account */
		account = bs + 1;
	}
	for (i = 0; principal_table[i].sid != NULL; i++)
		if ((auth == -1 || (int)principal_table[i].auth == auth) &&
		    strcasecmp(principal_table[i].name, account) == 0)
			return principal_table[i].sid;
	return NULL;
}

/* English display names, for SIDs met without a name (LDAP). */
static const struct {
	const char	*sid;
	const char	*name;
} principal_english[] = {
	{ "S-1-1-0",		"Everyone" },
	{ "S-1-3-0",		"CREATOR OWNER" },
	{ "S-1-5-2",		"NT AUTHORITY\\NETWORK" },
	{ "S-1-5-7",		"NT AUTHORITY\\ANONYMOUS LOGON" },
	{ "S-1-5-9",		"NT AUTHORITY\\ENTERPRISE DOMAIN CONTROLLERS" },
	{ "S-1-5-10",		"NT AUTHORITY\\SELF" },
	{ "S-1-5-11",		"NT AUTHORITY\\Authenticated Users" },
	{ "S-1-5-15",		"NT AUTHORITY\\This Organization" },
	{ "S-1-5-18",		"NT AUTHORITY\\SYSTEM" },
	{ "S-1-5-19",		"NT AUTHORITY\\LOCAL SERVICE" },
	{ "S-1-5-20",		"NT AUTHORITY\\NETWORK SERVICE" },
	{ "S-1-5-32-544",	"BUILTIN\\Administrators" },
	{ "S-1-5-32-548",	"BUILTIN\\Account Operators" },
	{ "S-1-5-32-554",	"BUILTIN\\Pre-Windows 2000 Compatible Access" },
	{ PRINCIPAL_SID_PARTNERS,	"MS Exchange\\Partner Servers" },
	{ PRINCIPAL_SID_HUB,	"MS Exchange\\Hub Transport Servers" },
	{ PRINCIPAL_SID_EDGE,	"MS Exchange\\Edge Transport Servers" },
	{ PRINCIPAL_SID_EXTERNAL, "MS Exchange\\Externally Secured Servers" },
	{ PRINCIPAL_SID_LEGACY,	"MS Exchange\\Legacy Exchange Servers" },
	{ NULL, NULL }
};

const char *
principal_name(const char *sid)
{
	size_t i;

	if (sid == NULL)
		return NULL;
	for (i = 0; principal_english[i].sid != NULL; i++)
		if (strcmp(principal_english[i].sid, sid) == 0)
			return principal_english[i].name;
	return NULL;
}

int
principal_looks_well_known(const char *name)
{
	const char *bs;

	if (name == NULL)
		return 1;
	if ((bs = strrchr(name, '\\')) == NULL)
		return 1;
	return principal_authority(name, (size_t)(bs - name)) != -1;
}
