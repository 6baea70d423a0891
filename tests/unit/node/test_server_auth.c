/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_server_auth.c - the Authorization header of subscribers (issue 10,
 * TAXII 2.1 §8.2.2): srv_auth_parse on well-formed and hostile values
 * (wrong schemes, bad base64, padding in the middle, missing colons,
 * names that are not subscriber names, control characters, oversized
 * values, embedded NULs, a length shorter than the string), and the
 * bearer token's shape.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "server_auth.h"

static int
parse(struct srv_auth_cred *c, const char *hdr)
{
	const char	*why = NULL;
	int		 rc = srv_auth_parse(c, hdr, strlen(hdr), &why);

	if (rc < 0)
		assert_non_null(why);
	return rc;
}

static void
test_basic(void **state)
{
	struct srv_auth_cred	c;

	(void)state;
	/* "ext-tip:s3cret" */
	assert_int_equal(parse(&c, "Basic ZXh0LXRpcDpzM2NyZXQ="), 0);
	assert_int_equal(c.scheme, SRV_AUTH_BASIC);
	assert_string_equal(c.name, "ext-tip");
	assert_string_equal(c.secret, "s3cret");
	assert_int_equal(c.secret_len, 6);
	/* Scheme in any case, blanks around the credentials. */
	assert_int_equal(parse(&c, "bASIC   ZXh0LXRpcDpzM2NyZXQ=  "), 0);
	assert_string_equal(c.name, "ext-tip");
	/* "a:b:c": the password may hold a colon. */
	assert_int_equal(parse(&c, "Basic YTpiOmM="), 0);
	assert_string_equal(c.name, "a");
	assert_string_equal(c.secret, "b:c");
}

static void
test_basic_hostile(void **state)
{
	static const char	*bad[] = {
		"",
		"Basic",
		"Basic ",
		"Basic    ",
		"BasicZXh0LXRpcDpzM2NyZXQ=",		/* no blank */
		"Basic ZXh0LXRpcDpzM2NyZXQ",		/* padding missing */
		"Basic ZX=0LXRpcDpzM2NyZXQ=",		/* padding inside */
		"Basic ZXh0LXRpcDpzM2NyZXQ=x",
		"Basic ****",
		"Basic bm9jb2xvbg==",			/* "nocolon" */
		"Basic OnB3",				/* ":pw" */
		"Basic ZXh0LXRpcDo=",			/* "ext-tip:" */
		"Basic QmFkIE5hbWU6cHc=",		/* "Bad Name:pw" */
		"Basic LmhpZGRlbjpwdw==",		/* ".hidden:pw" */
		"Basic dTpwAXc=",			/* "u:p\001w" */
		"Basic dTpwf3c=",			/* "u:p\177w" */
		"Basic ZXh0LXRpcDpzM2NyZXQ= ZXh0",	/* two tokens */
		"Digest username=\"ext-tip\"",
		"Negotiate YIIB",
	};
	struct srv_auth_cred	c;
	const char		*why;
	char			big[SRV_AUTH_HDR_MAX + 64];
	size_t			i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (parse(&c, bad[i]) != TX_EINVAL)
			fail_msg("accepted: '%s'", bad[i]);
		assert_int_equal(c.scheme, SRV_AUTH_NONE);
		assert_int_equal(c.secret_len, 0);
		assert_int_equal(c.name[0], '\0');
	}
	/* Longer than the header may be. */
	memset(big, 'A', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	memcpy(big, "Basic ", 6);
	assert_int_equal(parse(&c, big), TX_EINVAL);
	/* A password of 300 bytes: over the bound. */
	snprintf(big, sizeof(big), "Basic ");
	{
		static const char	b64[] = "dTpwcHBwcHBw";	/* u:pppppppp */
		size_t			k;

		for (k = 0; k < 60; k++)
			strncat(big, k == 0 ? b64 : "cHBwcHBw",
			    sizeof(big) - strlen(big) - 1);
	}
	assert_int_equal(parse(&c, big), TX_EINVAL);
	/* Only len bytes count: a prefix of a valid header is refused. */
	assert_int_equal(srv_auth_parse(&c, "Basic ZXh0LXRpcDpzM2NyZXQ=", 12,
	    &why), TX_EINVAL);
	/* An embedded NUL in the decoded credentials is a control byte. */
	assert_int_equal(parse(&c, "Basic dTpwAHc="), TX_EINVAL); /* u:p\0w */
	assert_int_equal(srv_auth_parse(&c, NULL, 0, &why), TX_EINVAL);
}

static void
test_bearer(void **state)
{
	static const char	*bad[] = {
		"Bearer",
		"Bearer ",
		"Bearer siem~",
		"Bearer ~abc",
		"Bearer siem",
		"Bearer siem~ab+c",		/* standard base64: not ours */
		"Bearer siem~abc=",
		"Bearer Siem~abc",		/* not a subscriber name */
		"Bearer siem~abc def",
		"Bearer siem~abc~def",
	};
	struct srv_auth_cred	c;
	char			hdr[80];
	size_t			i;

	(void)state;
	assert_int_equal(parse(&c, "Bearer siem~7C0cSzptBlYPwS_1Ap-Qg66t"), 0);
	assert_int_equal(c.scheme, SRV_AUTH_BEARER);
	assert_string_equal(c.name, "siem");
	assert_string_equal(c.secret, "siem~7C0cSzptBlYPwS_1Ap-Qg66t");
	assert_int_equal(parse(&c, "bearer   a.b_c-d~xyz  "), 0);
	assert_string_equal(c.name, "a.b_c-d");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (parse(&c, bad[i]) != TX_EINVAL)
			fail_msg("accepted: '%s'", bad[i]);
	/* A NUL inside the token (len says it is there). */
	memcpy(hdr, "Bearer siem~ab\0cd", 17);
	assert_int_equal(srv_auth_parse(&c, hdr, 17, &(const char *){ NULL }),
	    TX_EINVAL);
	assert_int_equal(srv_auth_token_shape("siem~abc", "siem"), 1);
	assert_int_equal(srv_auth_token_shape("siem~abc", "sie"), 0);
	assert_int_equal(srv_auth_token_shape("siemx~abc", "siem"), 0);
	assert_int_equal(srv_auth_token_shape("siem~", "siem"), 0);
	assert_int_equal(srv_auth_token_shape("siem~a/b", "siem"), 0);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_basic),
		cmocka_unit_test(test_basic_hostile),
		cmocka_unit_test(test_bearer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
