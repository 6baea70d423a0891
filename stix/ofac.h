/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ofac.h - the digital-currency addresses of the OFAC SDN list in its
 * "advanced" XML export (sdn_advanced.xml, ~120 MB), read with libxml2's
 * streaming reader: memory does not grow with the file, only with the
 * parties that hold addresses (capped).
 *
 * Every "Digital Currency Address - <ASSET>" feature of a DistinctParty is
 * kept with the party's fixed ref, type (Entity, Individual, ...), primary
 * name and A.K.A. names; the sanctions programmes of its SanctionsEntry
 * (which come after the parties in the file) are added, and each party is
 * handed to the caller once the document has been read to its end. A
 * document that is not well-formed, not the SDN advanced schema, or past
 * a cap gives an error naming the line and the reason, and no party at
 * all is handed over. The input is untrusted: no network, no DTD, no
 * entity expansion (a DOCTYPE is refused).
 */
#ifndef TX_OFAC_H
#define TX_OFAC_H

#include <stddef.h>
#include <sys/types.h>

#include "err.h"

#define OFAC_NAME_MAX		256	/* bytes of a name, longer cut */
#define OFAC_AKAS_MAX		64	/* A.K.A. names kept per party */
#define OFAC_PROGS_MAX		16	/* programmes kept per party */
#define OFAC_PROG_MAX		32	/* bytes of a programme */
#define OFAC_ADDR_MAX		128	/* bytes of an address value */
#define OFAC_ASSET_MAX		16	/* bytes of an asset ticker */
#define OFAC_PARTIES_MAX	10000	/* parties holding addresses */
#define OFAC_ADDRS_MAX		100000	/* addresses in the document */
#define OFAC_NAMES_MAX		50000	/* A.K.A. names kept in all */

struct ofac_addr {
	char	asset[OFAC_ASSET_MAX];	/* "XBT", "ETH", "USDT" */
	char	value[OFAC_ADDR_MAX];	/* as published */
};

struct ofac_party {
	char		  fixed_ref[24];
	char		  profile_id[24];	/* what SanctionsEntry names */
	char		  type[24];	/* "Entity", "Individual", ... */
	char		  name[OFAC_NAME_MAX];
	char		(*akas)[OFAC_NAME_MAX];
	size_t		  nakas;
	char		  programs[OFAC_PROGS_MAX][OFAC_PROG_MAX];
	size_t		  nprograms;
	struct ofac_addr *addrs;
	size_t		  naddrs;
};

/* Read up to len bytes into buf: the count, 0 at the end, -1 on error. */
typedef ssize_t	ofac_read_fn(void *arg, char *buf, size_t len);

/* One party (borrowed for the call). Non-zero stops (returned as is). */
typedef int	ofac_party_fn(const struct ofac_party *p, void *arg);

/*
 * Read an SDN advanced XML document from rd and hand every party that
 * holds a digital-currency address to cb, in document order. Returns 0,
 * cb's non-zero value, or TX_EINVAL (not well-formed or not the SDN
 * schema; err->msg starts "line N: "), TX_ELIMIT (a cap), TX_EIO (rd failed),
 * TX_ENOMEM.
 */
int	ofac_read(ofac_read_fn *rd, void *rdarg, ofac_party_fn *cb, void *arg,
	    struct tx_err *err);

/* As ofac_read over buf[0..len). */
int	ofac_read_mem(const void *buf, size_t len, ofac_party_fn *cb,
	    void *arg, struct tx_err *err);

/* 1 when head[0..len) looks like the start of an SDN advanced XML file. */
int	ofac_sniff(const void *head, size_t len);

#endif
