/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the parts of minixen's network backend share (see
 * minixen/netback.h). The calls go one way: netback.c calls
 * netback_tx.c, which calls netback_rx.c.
 */
#ifndef MINIXEN_NETBACK_PRIV_H
#define MINIXEN_NETBACK_PRIV_H

#include <minixen/domain.h>
#include <minixen/netback.h>
#include <minixen/vswitch.h>

/* Offloads a packet carries from its sender's TX to its receivers' RX */
#define NETPKT_CSUM_BLANK	BIT(0)	/* NETTXF_csum_blank */
#define NETPKT_VALIDATED	BIT(1)	/* NETTXF_data_validated */

/**
 * struct netpkt - a packet taken from a TX ring, in its queue's buffer
 * @data: the frame, from its Ethernet header
 * @len: its length
 * @flags: NETPKT_*
 * @gso_type: XEN_NETIF_GSO_TYPE_* (NONE: not a GSO packet)
 * @gso_size: the segment size
 */
struct netpkt {
	u8 *data;
	u32 len;
	u32 flags;
	u8 gso_type;
	u16 gso_size;
};

/* The switch all interfaces are plugged into (netback.c) */
extern struct vswitch netback_switch;

/* netback_tx.c: under @q->tx_lock, TX on; true if requests are left */
bool netback_tx_serve(struct netback_queue *q);

/* netback_rx.c: into one of @vif's RX rings, if it has room */
void netback_rx_deliver(struct netback_vif *vif, const struct netpkt *p);

/*
 * A fatal error of @vif: the first says so on one line, and every part
 * stops serving it (netback_resume() then disconnects it).
 */
static inline __printf(2, 3)
void netback_fail(struct netback_vif *vif, const char *fmt, ...)
{
	char msg[112];
	va_list ap;

	if (__atomic_exchange_n(&vif->failed, 1, __ATOMIC_SEQ_CST))
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pr_warn("%s: vif %u: %s: disconnected", vif->d->name, vif->handle,
		msg);
}

#endif
