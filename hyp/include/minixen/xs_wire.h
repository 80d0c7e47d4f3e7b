/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Xenstore wire protocol: message types, header, ring page and limits,
 * with the values and layout of Xen's public io/xs_wire.h (no code of
 * Xen's: minixen builds freestanding and cannot include it).
 */
#ifndef MINIXEN_XS_WIRE_H
#define MINIXEN_XS_WIRE_H

#include <minixen/lib.h>

enum xsd_sockmsg_type {
	XS_CONTROL,
	XS_DIRECTORY,
	XS_READ,
	XS_GET_PERMS,
	XS_WATCH,
	XS_UNWATCH,
	XS_TRANSACTION_START,
	XS_TRANSACTION_END,
	XS_INTRODUCE,
	XS_RELEASE,
	XS_GET_DOMAIN_PATH,
	XS_WRITE,
	XS_MKDIR,
	XS_RM,
	XS_SET_PERMS,
	XS_WATCH_EVENT,
	XS_ERROR,
	XS_IS_DOMAIN_INTRODUCED,
	XS_RESUME,
	XS_SET_TARGET,
	XS_RESET_WATCHES = XS_SET_TARGET + 2,
	XS_DIRECTORY_PART,
	XS_TYPE_COUNT,
	XS_INVALID = 0xffff,
};

/* The 16-byte message header; the payload (len bytes) follows it. */
struct xsd_sockmsg {
	u32 type;
	u32 req_id;
	u32 tx_id;
	u32 len;
};

#define XENSTORE_RING_SIZE	1024
#define MASK_XENSTORE_IDX(idx)	((idx) & (XENSTORE_RING_SIZE - 1))

/* The shared ring page: one per domain. */
struct xenstore_domain_interface {
	char req[XENSTORE_RING_SIZE];
	char rsp[XENSTORE_RING_SIZE];
	u32 req_cons, req_prod;
	u32 rsp_cons, rsp_prod;
	u32 server_features;
	u32 connection;
	u32 error;
};

#define XENSTORE_PAYLOAD_MAX	4096
#define XENSTORE_ABS_PATH_MAX	3072
#define XENSTORE_REL_PATH_MAX	2048

#define XENSTORE_SERVER_FEATURE_RECONNECTION	1
#define XENSTORE_SERVER_FEATURE_ERROR		2

#define XENSTORE_CONNECTED	0
#define XENSTORE_RECONNECT	1

#define XENSTORE_ERROR_NONE	0
#define XENSTORE_ERROR_COMM	1
#define XENSTORE_ERROR_RINGIDX	2
#define XENSTORE_ERROR_PROTO	3

#endif
