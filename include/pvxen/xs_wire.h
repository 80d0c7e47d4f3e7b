/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * pvxen xenstore wire format: the shared ring, message framing and the
 * payload parsers, for both ends of a xenstore connection.
 *
 * The protocol facts are Xen's (public/io/xs_wire.h, docs/misc/xenstore.txt);
 * the values are repeated here so that this header builds freestanding
 * (minixen's xenstored, host tests) and are checked against Xen's own
 * header by the host tests and by BUILD_BUG_ON()s in pvxen-core.
 *
 * Rules every user follows, and which the code here makes easy:
 *
 *  - The shared ring is read exactly once, byte by byte, into a private
 *    buffer (pvxen_xs_rx_feed()).  Nothing is parsed in shared memory,
 *    so the other end cannot change a message after it was validated.
 *  - Indices come from shared memory and are hostile: a producer more
 *    than the ring size ahead of the consumer is an error, never a long
 *    copy.
 *  - A header whose length exceeds PVXEN_XS_PAYLOAD_MAX breaks the
 *    framing of the stream: the connection is unusable afterwards.
 *  - Payload parsers take (pointer, length) of the private copy, never
 *    read past the length and never assume a terminating NUL that the
 *    length does not include.
 *
 * The caller supplies the memory barriers and reads/writes the shared
 * indices itself (READ_ONCE/WRITE_ONCE in the kernel).
 *
 * Everything is static inline, uses no libc, and builds in the kernel
 * (__KERNEL__), freestanding and on the host.  Freestanding users that
 * already define u32 may define PVXEN_HAVE_U32 first.
 */
#ifndef PVXEN_XS_WIRE_H
#define PVXEN_XS_WIRE_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdbool.h>
#include <stddef.h>
#ifndef PVXEN_HAVE_U32
#define PVXEN_HAVE_U32
typedef __UINT32_TYPE__ u32;
#endif
#endif

/* Message types (enum xsd_sockmsg_type). 20 was XS_RESTRICT, now invalid. */
#define PVXEN_XS_CONTROL		0
#define PVXEN_XS_DIRECTORY		1
#define PVXEN_XS_READ			2
#define PVXEN_XS_GET_PERMS		3
#define PVXEN_XS_WATCH			4
#define PVXEN_XS_UNWATCH		5
#define PVXEN_XS_TRANSACTION_START	6
#define PVXEN_XS_TRANSACTION_END	7
#define PVXEN_XS_INTRODUCE		8
#define PVXEN_XS_RELEASE		9
#define PVXEN_XS_GET_DOMAIN_PATH	10
#define PVXEN_XS_WRITE			11
#define PVXEN_XS_MKDIR			12
#define PVXEN_XS_RM			13
#define PVXEN_XS_SET_PERMS		14
#define PVXEN_XS_WATCH_EVENT		15
#define PVXEN_XS_ERROR			16
#define PVXEN_XS_IS_DOMAIN_INTRODUCED	17
#define PVXEN_XS_RESUME			18
#define PVXEN_XS_SET_TARGET		19
#define PVXEN_XS_RESET_WATCHES		21
#define PVXEN_XS_DIRECTORY_PART		22
#define PVXEN_XS_TYPE_COUNT		23
#define PVXEN_XS_INVALID		0xffff

/* The shared page. */
#define PVXEN_XS_RING_SIZE		1024u
#define PVXEN_XS_PAYLOAD_MAX		4096u
#define PVXEN_XS_HDR_SIZE		16u
#define PVXEN_XS_MSG_MAX		(PVXEN_XS_HDR_SIZE + PVXEN_XS_PAYLOAD_MAX)
#define PVXEN_XS_ABS_PATH_MAX		3072u
#define PVXEN_XS_REL_PATH_MAX		2048u

#define PVXEN_XS_FEATURE_RECONNECTION	1u
#define PVXEN_XS_FEATURE_ERROR		2u
#define PVXEN_XS_CONNECTED		0u
#define PVXEN_XS_RECONNECT		1u

/* Errors travel as their names; these are Xen's (and Linux's) numbers. */
#define PVXEN_XS_EINVAL		22
#define PVXEN_XS_EACCES		13
#define PVXEN_XS_EEXIST		17
#define PVXEN_XS_EISDIR		21
#define PVXEN_XS_ENOENT		2
#define PVXEN_XS_ENOMEM		12
#define PVXEN_XS_ENOSPC		28
#define PVXEN_XS_EIO		5
#define PVXEN_XS_ENOTEMPTY	39
#define PVXEN_XS_ENOSYS		38
#define PVXEN_XS_EROFS		30
#define PVXEN_XS_EBUSY		16
#define PVXEN_XS_EAGAIN		11
#define PVXEN_XS_EISCONN	106
#define PVXEN_XS_E2BIG		7
#define PVXEN_XS_EPERM		1
#define PVXEN_XS_NR_ERRORS	16

/**
 * enum pvxen_xenbus_state - XenbusState of one end of a device connection
 * @PVXEN_XENBUS_UNKNOWN: no state (node missing or invalid)
 * @PVXEN_XENBUS_INITIALISING: starting up
 * @PVXEN_XENBUS_INIT_WAIT: early set-up done, waiting for the peer
 * @PVXEN_XENBUS_INITIALISED: set up, waiting for the peer to connect
 * @PVXEN_XENBUS_CONNECTED: connected
 * @PVXEN_XENBUS_CLOSING: closing (error or unplug)
 * @PVXEN_XENBUS_CLOSED: closed
 * @PVXEN_XENBUS_RECONFIGURING: being reconfigured
 * @PVXEN_XENBUS_RECONFIGURED: reconfigured
 *
 * The values of Xen's public/io/xenbus.h, written as decimal numbers to
 * the "state" node of each end.
 */
enum pvxen_xenbus_state {
	PVXEN_XENBUS_UNKNOWN = 0,
	PVXEN_XENBUS_INITIALISING = 1,
	PVXEN_XENBUS_INIT_WAIT = 2,
	PVXEN_XENBUS_INITIALISED = 3,
	PVXEN_XENBUS_CONNECTED = 4,
	PVXEN_XENBUS_CLOSING = 5,
	PVXEN_XENBUS_CLOSED = 6,
	PVXEN_XENBUS_RECONFIGURING = 7,
	PVXEN_XENBUS_RECONFIGURED = 8,
};

/**
 * struct pvxen_xs_hdr - header in front of every message.
 * @type: PVXEN_XS_* message type
 * @req_id: request identifier, echoed in the reply
 * @tx_id: transaction id, 0 outside a transaction
 * @len: payload bytes following the header, at most PVXEN_XS_PAYLOAD_MAX
 */
struct pvxen_xs_hdr {
	u32 type;
	u32 req_id;
	u32 tx_id;
	u32 len;
};

/**
 * struct pvxen_xs_ring_page - layout of the shared xenstore page.
 * @req: requests, guest to xenstored
 * @rsp: replies and watch events, xenstored to guest
 * @req_cons: xenstored's consumer index into @req
 * @req_prod: guest's producer index into @req
 * @rsp_cons: guest's consumer index into @rsp
 * @rsp_prod: xenstored's producer index into @rsp
 * @server_features: PVXEN_XS_FEATURE_* bits
 * @connection: PVXEN_XS_CONNECTED or PVXEN_XS_RECONNECT
 * @error: server-reported error (Xen's XENSTORE_ERROR_*)
 *
 * Indices are free-running u32 counters; the byte for index i is at
 * i % PVXEN_XS_RING_SIZE.
 */
struct pvxen_xs_ring_page {
	char req[PVXEN_XS_RING_SIZE];
	char rsp[PVXEN_XS_RING_SIZE];
	u32 req_cons, req_prod;
	u32 rsp_cons, rsp_prod;
	u32 server_features;
	u32 connection;
	u32 error;
};

/**
 * struct pvxen_xs_rx - a message being collected from a ring.
 * @have: bytes of the current message copied so far
 * @msg: the message; @msg.hdr is valid once @have >= PVXEN_XS_HDR_SIZE
 * @msg.hdr: header view
 * @msg.raw: byte view; the payload starts at PVXEN_XS_HDR_SIZE, and one
 *	spare byte after the largest payload lets users add a NUL
 *
 * Zero it (or call pvxen_xs_rx_reset()) before the first feed.
 */
struct pvxen_xs_rx {
	u32 have;
	union {
		struct pvxen_xs_hdr hdr;
		char raw[PVXEN_XS_MSG_MAX + 1];
	} msg;
};

/* Results of pvxen_xs_rx_feed() / pvxen_xs_tx_feed(). */
#define PVXEN_XS_RING_MORE	0	/* need more data / more space */
#define PVXEN_XS_RING_DONE	1	/* a whole message was moved */
#define PVXEN_XS_RING_EINDEX	(-1)	/* indices more than a ring apart */
#define PVXEN_XS_RING_ELEN	(-2)	/* header length > PAYLOAD_MAX */

/* ---- ring arithmetic ------------------------------------------------ */

/**
 * pvxen_xs_ring_used() - Bytes queued between two ring indices.
 * @cons: consumer index
 * @prod: producer index
 *
 * Return: prod - cons (0..PVXEN_XS_RING_SIZE), or -1 if the indices are
 * more than a ring apart (a corrupt or hostile index).
 */
static inline int pvxen_xs_ring_used(u32 cons, u32 prod)
{
	u32 n = prod - cons;

	return n > PVXEN_XS_RING_SIZE ? -1 : (int)n;
}

/* Copy n bytes out of / into a ring at index idx, wrapping. */
static inline void pvxen_xs_ring_copy_out(char *dst, const char *ring,
					  u32 idx, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++)
		dst[i] = ring[(idx + i) & (PVXEN_XS_RING_SIZE - 1)];
}

static inline void pvxen_xs_ring_copy_in(char *ring, u32 idx,
					 const char *src, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++)
		ring[(idx + i) & (PVXEN_XS_RING_SIZE - 1)] = src[i];
}

/**
 * pvxen_xs_rx_reset() - Start collecting the next message.
 * @rx: collector
 */
static inline void pvxen_xs_rx_reset(struct pvxen_xs_rx *rx)
{
	rx->have = 0;
}

/**
 * pvxen_xs_rx_payload() - Payload of a collected message.
 * @rx: collector after pvxen_xs_rx_feed() returned PVXEN_XS_RING_DONE
 *
 * Return: pointer to the rx->msg.hdr.len payload bytes.
 */
static inline char *pvxen_xs_rx_payload(struct pvxen_xs_rx *rx)
{
	return rx->msg.raw + PVXEN_XS_HDR_SIZE;
}

/**
 * pvxen_xs_rx_feed() - Move bytes of one message out of a ring.
 * @rx: collector, private memory
 * @ring: the ring's data (PVXEN_XS_RING_SIZE bytes, shared)
 * @cons: in: consumer index; out: advanced past the bytes consumed
 * @prod: producer index, read once by the caller (then a read barrier)
 *
 * Copies at most up to the end of the current message, so the bytes of
 * the next one stay in the ring.  The header is checked as soon as it is
 * complete; after PVXEN_XS_RING_ELEN or PVXEN_XS_RING_EINDEX the stream
 * cannot be resynchronised.
 *
 * Return: PVXEN_XS_RING_DONE when @rx holds a whole message,
 * PVXEN_XS_RING_MORE when the ring ran dry first, or a negative
 * PVXEN_XS_RING_E* error.
 */
static inline int pvxen_xs_rx_feed(struct pvxen_xs_rx *rx,
				   const char *ring, u32 *cons,
				   u32 prod)
{
	int used = pvxen_xs_ring_used(*cons, prod);
	u32 want, n;

	if (used < 0)
		return PVXEN_XS_RING_EINDEX;
	for (;;) {
		if (rx->have >= PVXEN_XS_HDR_SIZE &&
		    rx->msg.hdr.len > PVXEN_XS_PAYLOAD_MAX)
			return PVXEN_XS_RING_ELEN;
		if (rx->have < PVXEN_XS_HDR_SIZE)
			want = PVXEN_XS_HDR_SIZE - rx->have;
		else
			want = PVXEN_XS_HDR_SIZE + rx->msg.hdr.len - rx->have;
		if (!want)
			return PVXEN_XS_RING_DONE;
		if (!used)
			return PVXEN_XS_RING_MORE;
		n = want < (u32)used ? want : (u32)used;
		pvxen_xs_ring_copy_out(rx->msg.raw + rx->have, ring, *cons, n);
		rx->have += n;
		*cons += n;
		used -= (int)n;
	}
}

/**
 * pvxen_xs_tx_feed() - Move bytes of one message into a ring.
 * @ring: the ring's data (shared)
 * @cons: consumer index, read once by the caller
 * @prod: in: producer index; out: advanced past the bytes written
 * @msg: whole message (header and payload), private memory
 * @len: its length
 * @off: in/out: bytes of @msg already written
 *
 * The caller issues a write barrier before publishing @prod.
 *
 * Return: PVXEN_XS_RING_DONE once all of @msg is in the ring,
 * PVXEN_XS_RING_MORE when the ring is full first, or
 * PVXEN_XS_RING_EINDEX for corrupt indices.
 */
static inline int pvxen_xs_tx_feed(char *ring, u32 cons, u32 *prod,
				   const char *msg, u32 len, u32 *off)
{
	int used = pvxen_xs_ring_used(cons, *prod);
	u32 space, n;

	if (used < 0)
		return PVXEN_XS_RING_EINDEX;
	if (*off >= len)
		return PVXEN_XS_RING_DONE;
	space = PVXEN_XS_RING_SIZE - (u32)used;
	n = len - *off < space ? len - *off : space;
	pvxen_xs_ring_copy_in(ring, *prod, msg + *off, n);
	*off += n;
	*prod += n;
	return *off == len ? PVXEN_XS_RING_DONE : PVXEN_XS_RING_MORE;
}

/* ---- building requests ---------------------------------------------- */

/**
 * struct pvxen_xs_iov - one piece of a payload.
 * @base: bytes
 * @len: how many; include the NUL of a string that must carry one
 */
struct pvxen_xs_iov {
	const void *base;
	u32 len;
};

/**
 * pvxen_xs_build() - Lay out a message: header and concatenated pieces.
 * @buf: destination, at least PVXEN_XS_HDR_SIZE + payload bytes
 * @size: size of @buf
 * @type: PVXEN_XS_* type
 * @req_id: request id
 * @tx_id: transaction id or 0
 * @iov: payload pieces
 * @n: number of pieces
 *
 * Return: total message length, or -1 if the payload exceeds
 * PVXEN_XS_PAYLOAD_MAX or the message exceeds @size.
 */
static inline int pvxen_xs_build(char *buf, u32 size, u32 type, u32 req_id,
				 u32 tx_id, const struct pvxen_xs_iov *iov,
				 unsigned int n)
{
	struct pvxen_xs_hdr h;
	const char *hp = (const char *)&h;
	u32 total = 0, i, j, pos;

	for (i = 0; i < n; i++) {
		if (iov[i].len > PVXEN_XS_PAYLOAD_MAX - total)
			return -1;
		total += iov[i].len;
	}
	if (size < PVXEN_XS_HDR_SIZE || total > size - PVXEN_XS_HDR_SIZE)
		return -1;
	h.type = type;
	h.req_id = req_id;
	h.tx_id = tx_id;
	h.len = total;
	for (j = 0; j < PVXEN_XS_HDR_SIZE; j++)
		buf[j] = hp[j];
	pos = PVXEN_XS_HDR_SIZE;
	for (i = 0; i < n; i++) {
		const char *s = iov[i].base;

		for (j = 0; j < iov[i].len; j++)
			buf[pos++] = s[j];
	}
	return (int)pos;
}

/* ---- parsing payloads ----------------------------------------------- */

/**
 * pvxen_xs_strnlen() - Length of a string within a bounded buffer.
 * @s: buffer
 * @max: its size
 *
 * Return: bytes before the first NUL, or @max if there is none.
 */
static inline u32 pvxen_xs_strnlen(const char *s, u32 max)
{
	u32 i;

	for (i = 0; i < max && s[i]; i++)
		;
	return i;
}

static inline bool pvxen_xs_streq(const char *a, u32 alen, const char *b)
{
	u32 i;

	for (i = 0; i < alen; i++)
		if (!b[i] || a[i] != b[i])
			return false;
	return !b[alen];
}

/**
 * pvxen_xs_errno() - Number of an error name from an XS_ERROR payload.
 * @p: payload
 * @len: payload length
 *
 * The payload must be one NUL-terminated name, e.g. "ENOENT\0".
 *
 * Return: the positive error number, or -1 for a malformed payload (no
 * NUL within @len, bytes after the NUL, or a name xenstore never sends).
 */
static inline int pvxen_xs_errno(const char *p, u32 len)
{
	static const struct {
		int err;
		const char *name;
	} tbl[PVXEN_XS_NR_ERRORS] = {
		{ PVXEN_XS_EINVAL, "EINVAL" }, { PVXEN_XS_EACCES, "EACCES" },
		{ PVXEN_XS_EEXIST, "EEXIST" }, { PVXEN_XS_EISDIR, "EISDIR" },
		{ PVXEN_XS_ENOENT, "ENOENT" }, { PVXEN_XS_ENOMEM, "ENOMEM" },
		{ PVXEN_XS_ENOSPC, "ENOSPC" }, { PVXEN_XS_EIO, "EIO" },
		{ PVXEN_XS_ENOTEMPTY, "ENOTEMPTY" },
		{ PVXEN_XS_ENOSYS, "ENOSYS" }, { PVXEN_XS_EROFS, "EROFS" },
		{ PVXEN_XS_EBUSY, "EBUSY" }, { PVXEN_XS_EAGAIN, "EAGAIN" },
		{ PVXEN_XS_EISCONN, "EISCONN" }, { PVXEN_XS_E2BIG, "E2BIG" },
		{ PVXEN_XS_EPERM, "EPERM" },
	};
	u32 n = pvxen_xs_strnlen(p, len), i;

	if (n == 0 || n + 1 != len)
		return -1;
	for (i = 0; i < PVXEN_XS_NR_ERRORS; i++)
		if (pvxen_xs_streq(p, n, tbl[i].name))
			return tbl[i].err;
	return -1;
}

/**
 * pvxen_xs_is_ack() - Whether a payload is the "OK" acknowledgment.
 * @p: payload
 * @len: payload length
 *
 * Return: true for exactly "OK\0".
 */
static inline bool pvxen_xs_is_ack(const char *p, u32 len)
{
	return len == 3 && p[0] == 'O' && p[1] == 'K' && p[2] == '\0';
}

/**
 * pvxen_xs_parse_u32() - Parse a NUL-terminated decimal number.
 * @p: payload
 * @len: payload length, including the NUL
 * @val: result
 *
 * Return: 0, or -1 unless the payload is 1-10 digits, a NUL and nothing
 * else, with a value that fits 32 bits.
 */
static inline int pvxen_xs_parse_u32(const char *p, u32 len, u32 *val)
{
	u32 v = 0, i;

	if (len < 2 || len > 11 || p[len - 1] != '\0')
		return -1;
	for (i = 0; i + 1 < len; i++) {
		u32 d = (u32)(unsigned char)p[i] - '0';

		if (d > 9 || v > (0xffffffffu - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*val = v;
	return 0;
}

/**
 * pvxen_xs_count_strings() - Check and count a list of strings.
 * @p: payload
 * @len: payload length
 *
 * A list is zero or more strings, each terminated by a NUL (directory
 * listings, permissions, watch events).
 *
 * Return: the number of strings, or -1 if the last one is not
 * NUL-terminated within @len.
 */
static inline int pvxen_xs_count_strings(const char *p, u32 len)
{
	u32 i;
	int n = 0;

	if (len == 0)
		return 0;
	if (p[len - 1] != '\0')
		return -1;
	for (i = 0; i < len; i++)
		if (!p[i])
			n++;
	return n;
}

/**
 * pvxen_xs_next_string() - Iterate over a checked list of strings.
 * @p: payload accepted by pvxen_xs_count_strings()
 * @len: payload length
 * @off: in/out: offset of the next string, start at 0
 *
 * Return: the string at *@off (and moves *@off past it), or NULL at the
 * end of the list.
 */
static inline const char *pvxen_xs_next_string(const char *p, u32 len,
					       u32 *off)
{
	const char *s;

	if (*off >= len)
		return NULL;
	s = p + *off;
	*off += pvxen_xs_strnlen(s, len - *off) + 1;
	return s;
}

/**
 * pvxen_xs_parse_watch_event() - Split an XS_WATCH_EVENT payload.
 * @p: payload
 * @len: payload length
 * @path: out: the path that changed
 * @token: out: the token the watch was registered with
 *
 * Return: 0, or -1 unless the payload holds at least two NUL-terminated
 * strings (xenstored sends exactly path and token).
 */
static inline int pvxen_xs_parse_watch_event(const char *p, u32 len,
					     const char **path,
					     const char **token)
{
	u32 off = 0;

	if (pvxen_xs_count_strings(p, len) < 2)
		return -1;
	*path = pvxen_xs_next_string(p, len, &off);
	*token = pvxen_xs_next_string(p, len, &off);
	return 0;
}

/* Permission letters of a permission entry ("r5": domain 5 may read). */
#define PVXEN_XS_PERM_NONE	0
#define PVXEN_XS_PERM_READ	1
#define PVXEN_XS_PERM_WRITE	2
#define PVXEN_XS_PERM_BOTH	3

/**
 * pvxen_xs_parse_perm() - Parse one permission entry.
 * @s: string, NUL-terminated
 * @max: bytes available at @s, including the NUL
 * @domid: out: domain id (0..65535)
 * @perm: out: PVXEN_XS_PERM_*
 *
 * Return: 0, or -1 for anything but a letter of "nrwb" followed by a
 * decimal domain id below 65536.
 */
static inline int pvxen_xs_parse_perm(const char *s, u32 max,
				      unsigned int *domid, unsigned int *perm)
{
	u32 n = pvxen_xs_strnlen(s, max), i;
	unsigned int d = 0;

	if (n < 2 || n > 6 || n == max)
		return -1;
	switch (s[0]) {
	case 'n':
		*perm = PVXEN_XS_PERM_NONE;
		break;
	case 'r':
		*perm = PVXEN_XS_PERM_READ;
		break;
	case 'w':
		*perm = PVXEN_XS_PERM_WRITE;
		break;
	case 'b':
		*perm = PVXEN_XS_PERM_BOTH;
		break;
	default:
		return -1;
	}
	for (i = 1; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		d = d * 10 + (unsigned int)(s[i] - '0');
	}
	if (d > 65535)
		return -1;
	*domid = d;
	return 0;
}

/**
 * pvxen_xs_format_perm() - Format one permission entry, NUL-terminated.
 * @buf: at least 8 bytes
 * @domid: domain id, at most 65535
 * @perm: PVXEN_XS_PERM_*
 *
 * Return: string length without the NUL, or -1 for bad arguments.
 */
static inline int pvxen_xs_format_perm(char *buf, unsigned int domid,
				       unsigned int perm)
{
	static const char letters[4] = { 'n', 'r', 'w', 'b' };
	char digits[5];
	int n = 0, k = 0;

	if (perm > PVXEN_XS_PERM_BOTH || domid > 65535)
		return -1;
	buf[n++] = letters[perm];
	do {
		digits[k++] = (char)('0' + domid % 10);
		domid /= 10;
	} while (domid);
	while (k)
		buf[n++] = digits[--k];
	buf[n] = '\0';
	return n;
}

/**
 * pvxen_xs_path_ok() - Whether a node name is acceptable to xenstore.
 * @p: path, NUL-terminated within @max
 * @max: bytes available at @p
 *
 * Absolute paths ("/local/...") up to PVXEN_XS_ABS_PATH_MAX bytes,
 * relative ones (to the domain's home) up to PVXEN_XS_REL_PATH_MAX,
 * special watch paths start with '@'.  Characters: letters, digits and
 * "-/_@"; no empty component ("//"), no trailing '/' except "/" itself.
 *
 * Return: true if xenstored would accept @p as a node name.
 */
static inline bool pvxen_xs_path_ok(const char *p, u32 max)
{
	u32 n = pvxen_xs_strnlen(p, max), i;

	if (n == 0 || n == max)
		return false;
	if (n > (p[0] == '/' ? PVXEN_XS_ABS_PATH_MAX : PVXEN_XS_REL_PATH_MAX))
		return false;
	for (i = 0; i < n; i++) {
		char c = p[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '/' ||
		      c == '_' || c == '@'))
			return false;
		if (c == '/' && i > 0 && p[i - 1] == '/')
			return false;
	}
	return n == 1 || p[n - 1] != '/';
}

/**
 * pvxen_xs_reply_type_ok() - Whether a reply's type fits its request.
 * @req_type: type of the request
 * @rsp_type: type of the reply
 *
 * Return: true if the reply is of the request's type or PVXEN_XS_ERROR.
 */
static inline bool pvxen_xs_reply_type_ok(u32 req_type, u32 rsp_type)
{
	return rsp_type == req_type || rsp_type == PVXEN_XS_ERROR;
}

#endif /* PVXEN_XS_WIRE_H */
