/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_observables.c - normalisations per second for each kind, through
 * norm_value with the kind given (and once untyped, to price detection).
 * Prints one JSON line per figure:
 *   {"bench":"observables","metric":"normalize_<kind>","value":N,"unit":"ops/s"}
 * Each figure runs for about 0.3 s over a small rotating set of real values.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "norm.h"

struct bench_set {
	const char	*metric;
	enum norm_kind	 kind;
	const char	*values[4];
};

static const struct bench_set sets[] = {
	{ "normalize_wallet_evm", NORM_WALLET, {
	    "0x47666Fab8bd0Ac7003bce3f5C3585383F09486E2",
	    "0x0fa09c3a328792253f8dee7116848723b72a6d2e",
	    "0x51E9d833Ecae4E8D9D8Be17300AEE6D3398C135D",
	    "0x96244d83dc15d36847c35209bbdc5bdde9bec3d8" } },
	{ "normalize_wallet_bitcoin", NORM_WALLET, {
	    "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",
	    "1BpEi6DfDAUFd7GtittLSdBeYJvcoaVggu",
	    "3CWFddi6m4ndiGyKqzYvsFYagqDLPVMTzC",
	    "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0" } },
	{ "normalize_wallet_tron", NORM_WALLET, {
	    "TA3941uFAvmVibSkQ6fMJXxmaSNovX86mz",
	    "TA39q3p75XRSWYAEaSF7dANtyksoa3sLge",
	    "TBATDh41qMQ1yeVYecneEvhpfayYmkAQWS",
	    "TBwghbQMsBC5xcUxE7ZpYXhfDMXZAfiFv6" } },
	{ "normalize_wallet_monero", NORM_WALLET, {
	    "884Bz8UH63aYsjVdkfWfScRYWZGGNbjFL7pztqvWNSrtYT4reFSwyvkCj9KEGUtheHhhMUj87ciTBFyzoesrMJ4L1FvSoxL",
	    "49HqitRzdnhYjgTEAhgGpCfsjdTeMbUTU6cyR4JV1R7k2Eej9rGT8JpFiYDa4tZM6RZiFrHmMzgSrhHEqpDYKBe5B2ufNsL",
	    "884Bz8UH63aYsjVdkfWfScRYWZGGNbjFL7pztqvWNSrtYT4reFSwyvkCj9KEGUtheHhhMUj87ciTBFyzoesrMJ4L1FvSoxL",
	    "49HqitRzdnhYjgTEAhgGpCfsjdTeMbUTU6cyR4JV1R7k2Eej9rGT8JpFiYDa4tZM6RZiFrHmMzgSrhHEqpDYKBe5B2ufNsL" } },
	{ "normalize_domain", NORM_DOMAIN, {
	    "Login.Evil.Example.", "straße.de", "пример.рф", "mail.google.com" } },
	{ "normalize_email", NORM_EMAIL, {
	    "Foo.Bar@Example.COM", "a@пример.рф", "x+y@evil.example",
	    "hr@front-company.example" } },
	{ "normalize_url", NORM_URL, {
	    "HTTP://Evil.EXAMPLE/Path?Q=1", "https://evil.example:443",
	    "http://[2001:db8::1]/a", "http://10.0.0.1/a" } },
	{ "normalize_ipv4", NORM_IPV4, {
	    "10.0.0.1", "192.168.100.200", "8.8.8.8", "10.0.0.0/8" } },
	{ "normalize_ipv6", NORM_IPV6, {
	    "2001:db8::1", "2001:0DB8:0:0:0:0:0:1", "::1", "fe80::1:2" } },
	{ "normalize_alias", NORM_ALIAS, {
	    "Lazarus Group", "Sim Hyo'n-so'p", "김 상만",
	    "Андреев Виталий Сергеевич" } },
	{ "normalize_untyped", NORM_UNKNOWN, {
	    "Lazarus Group", "evil.example", "1.2.3.4",
	    "0x47666Fab8bd0Ac7003bce3f5C3585383F09486E2" } },
};

int
main(void)
{
	struct norm_result	r;
	double			t0, dt;
	size_t			i, k;
	long			ops;
	int			fails;

	for (i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
		ops = 0;
		fails = 0;
		t0 = bench_now();
		do {
			for (k = 0; k < 1000; k++) {
				const char *v = sets[i].values[k % 4];
				if (norm_value(&r, sets[i].kind, NULL, v,
				    strlen(v), NULL) != 0)
					fails++;
			}
			ops += 1000;
			dt = bench_now() - t0;
		} while (dt < 0.3);
		if (fails > 0) {
			fprintf(stderr, "bench_observables: %s: %d failures\n",
			    sets[i].metric, fails);
			return 1;
		}
		printf("{\"bench\":\"observables\",\"metric\":\"%s\","
		    "\"value\":%.0f,\"unit\":\"ops/s\"}\n", sets[i].metric,
		    (double)ops / dt);
	}
	return 0;
}
