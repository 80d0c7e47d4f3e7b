/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * fakeback: the dom0-side skeleton of the test backends that can lie
 * (fakeblkback, fakenetback).  Each plays both the toolstack and the
 * backend for one device of a domU; this part is what they share:
 *
 *  - xenstore through /dev/xen/xenbus (xs_wire.h messages), grants
 *    through /dev/xen/gntdev, event channels through /dev/xen/evtchn;
 *  - the device's nodes: the frontend's device/TYPE/ID (the domU's,
 *    readable by dom0) and the backend's backend/TYPE/DOMID/ID (dom0's,
 *    readable by the domU), made in one transaction, removed at the end;
 *  - the run: follow the frontend's state (connect when it has published
 *    its rings, follow it to Closing and Closed), serve between events,
 *    close on a signal or at the timeout;
 *  - the dom0 agent's interface: "TOOL DOMID WORD [KEY:VALUE...]" starts
 *    an instance in the background (WORD a mode), or stop, wait, log;
 *    "TOOL -f DOMID MODE ..." runs in the foreground.  Instances are told
 *    apart by DOMID and ID; pid, log and summary are in
 *    /run/TOOL/DOMID-ID.{pid,log,sum}.
 *
 * A tool fills in struct fb_ops and calls fb_main().  Generic keys:
 * timeout (lifetime in seconds, default 600; for wait/stop: how long to
 * wait), follow (0: never follow the frontend to Closing), trusted
 * (written as the frontend's "trusted", as a toolstack does for a backend
 * it does not trust; default: absent) and storm (how many events a storm
 * sends, fb_storm_start()); the tool's set_key() takes the others, its id
 * key among them.
 */
#ifndef FAKEBACK_H
#define FAKEBACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PAGE		4096
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define ULL(x)		((unsigned long long)(x))
#define __printf(a, b)	__attribute((format(printf, a, b)))

/* The values of enum xenbus_state (xen/io/xenbus.h). */
enum {
	ST_INITIALISING = 1, ST_INITWAIT, ST_INITIALISED, ST_CONNECTED,
	ST_CLOSING, ST_CLOSED,
};

struct fb_ops {
	const char *tool;	/* "fakeblkback": log prefix, run directory */
	const char *type;	/* "vbd", "vif": device/TYPE/ID */
	const char *usage;	/* MODEs and KEYs, for the help text */
	const char *const *modes;	/* the MODEs; modes[0] is "good" */
	unsigned int nr_modes;
	/* one KEY:VALUE (V is VAL as a number); -1 if unknown or bad */
	int (*set_key)(const char *key, const char *val, unsigned long v);
	/* the keys are set: fill in fb.id */
	void (*configure)(void);
	/* devices open: make the device (fb_create_nodes()) */
	int (*setup)(void);
	/* the frontend is Initialised or Connected: map, bind, go Connected */
	int (*connect)(void);
	void (*disconnect)(void);
	/* after each wait for an event: serve the rings */
	void (*serve)(void);
	/* the frontend went Closing (return: whether to disconnect now) */
	bool (*fe_closing)(void);
	/* the frontend is Closed: true to stay (maps kept) until stopped */
	bool (*fe_closed)(void);
	/* the summary's tool-specific words */
	void (*summary)(char *buf, size_t len);
};

/* The device and the run, shared by the skeleton and the tool. */
struct fb_state {
	unsigned int domid;
	unsigned int mode;	/* in fb_ops->modes */
	long trusted;		/* the frontend's "trusted" key; -1: none */
	unsigned long id;	/* vdev, devid */
	char fe[96], be[128], be_parent[96];
	long timeout;		/* -1: not given */
	long follow;		/* -1: not given (the tool decides in configure) */
	bool connected;		/* the tool's rings are mapped */
	bool stalled;		/* serve nothing any more */
	unsigned long faults;
	/* a storm: empty events on a port, as fast as they go */
	unsigned long storm_n;	/* key storm: how many (the tool's default) */
	unsigned long storm_left, storm_sent;
	unsigned int storm_port;
	double storm_start;
};

extern struct fb_state fb;
extern const struct fb_ops *fb_ops;

__printf(1, 2) void fb_log(const char *fmt, ...);
double fb_now(void);

/* fakeback-io.c */
int fb_io_open(void);
void fb_wait_event(int ms);
int xs_read(uint32_t tx, const char *path, char *val, size_t cap);
int xs_write(uint32_t tx, const char *path, const char *val);
int xs_rm(uint32_t tx, const char *path);
int xs_perms(uint32_t tx, const char *path, unsigned int owner,
	     unsigned int reader);
__printf(4, 5)
int xs_printf(uint32_t tx, const char *dir, const char *key,
	      const char *fmt, ...);
int xs_read_ulong(const char *dir, const char *key, unsigned long *v);
int xs_children(const char *path);
int xs_tx_start(uint32_t *tx);
int xs_tx_end(uint32_t tx, int commit);

struct gmap {
	void *addr;
	uint64_t index;
	unsigned int count;
};

int gnt_map(const uint32_t *refs, unsigned int count, int writable,
	    struct gmap *m);
void gnt_unmap(struct gmap *m);
int evtchn_bind(unsigned long remote_port);
void evtchn_unbind(unsigned int port);
void evtchn_notify(unsigned int port);

struct fb_kv {
	const char *key;
	char val[160];
};

/* fakeback.c */
__printf(4, 5)
void fb_kv_add(struct fb_kv *kv, int *n, const char *key, const char *fmt,
	       ...);
/* Room for the keys fb_create_nodes() adds to each list. */
#define FB_KV_GENERIC	4
int fb_create_nodes(struct fb_kv *bk, int nb, struct fb_kv *fk, int nf,
		    int (*extra)(uint32_t tx));
const char *fb_state_name(unsigned long s);
int fb_set_be_state(int s);
void fb_log_fe_error(void);

void fb_storm_start(unsigned int port);
int fb_main(int argc, char **argv, const struct fb_ops *ops);

#endif /* FAKEBACK_H */
