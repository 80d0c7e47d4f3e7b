// SPDX-License-Identifier: GPL-2.0-only
/*
 * fakeback: the dom0-side skeleton of the test backends that can lie
 * (tests/tools/fakeback.h says what it does; fakeblkback.c and
 * fakenetback.c are the two backends): the device's nodes, following the
 * frontend, and the dom0 agent's interface.  How it reaches Xen is in
 * fakeback-io.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fakeback.h"

struct fb_state fb = { .timeout = -1, .follow = -1, .trusted = -1 };
const struct fb_ops *fb_ops;

void fb_log(const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n;

	n = snprintf(line, sizeof(line), "%s: ", fb_ops->tool);
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof(line) - n - 1, fmt, ap);
	va_end(ap);
	n = strlen(line);
	line[n++] = '\n';
	if (write(STDOUT_FILENO, line, n) < 0)
		return;		/* nowhere to say it */
}

/* ---- the device's nodes ------------------------------------------------ */

static int be_parent_made;	/* we created backend/TYPE/DOMID */

/* Error text the frontend left with xenbus_dev_fatal/error, if any. */
void fb_log_fe_error(void)
{
	char path[256], val[512];

	snprintf(path, sizeof(path), "/local/domain/%u/error/device/%s/%lu/error",
		 fb.domid, fb_ops->type, fb.id);
	if (xs_read(0, path, val, sizeof(val)) >= 0)
		fb_log("frontend error node: %s", val);
}

const char *fb_state_name(unsigned long s)
{
	static const char *const n[] = {
		"Unknown", "Initialising", "InitWait", "Initialised",
		"Connected", "Closing", "Closed", "Reconfiguring", "Reconfigured",
	};

	return s < ARRAY_SIZE(n) ? n[s] : "invalid";
}

int fb_set_be_state(int s)
{
	int err = xs_printf(0, fb.be, "state", "%d", s);

	if (err)
		fb_log("writing %s/state: %s", fb.be, strerror(-err));
	else
		fb_log("backend state %d (%s)", s, fb_state_name(s));
	return err;
}

void fb_kv_add(struct fb_kv *kv, int *n, const char *key, const char *fmt,
	       ...)
{
	va_list ap;

	kv[*n].key = key;
	va_start(ap, fmt);
	vsnprintf(kv[*n].val, sizeof(kv[*n].val), fmt, ap);
	va_end(ap);
	(*n)++;
}

/* DIR, owned by OWNER and readable by READER, with its N keys, in TX. */
static int write_dir(uint32_t tx, const char *dir, unsigned int owner,
		     unsigned int reader, const struct fb_kv *kv, int n)
{
	char path[256];
	int err, i;

	err = xs_write(tx, dir, "");
	if (!err)
		err = xs_perms(tx, dir, owner, reader);
	/* The keys inherit the directory's permissions. */
	for (i = 0; !err && i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, kv[i].key);
		err = xs_write(tx, path, kv[i].val);
	}
	if (err)
		fb_log("writing %s%s%s: %s", dir, i ? "/" : "",
		       i ? kv[i - 1].key : "", strerror(-err));
	return err;
}

/**
 * fb_create_nodes() - Make the device, both nodes in one transaction.
 * @bk: the backend's own keys, with room for FB_KV_GENERIC more
 * @nb: how many
 * @fk: the frontend's own keys, with room for FB_KV_GENERIC more
 * @nf: how many
 * @extra: more to write in the same transaction, or NULL
 *
 * Adds what every device has: the backend's frontend, frontend-id,
 * online and state (InitWait), the frontend's backend, backend-id,
 * trusted (if given) and state (Initialising).  The frontend sees a
 * complete device, with the backend already in InitWait.  The backend's
 * node is dom0's, readable by the domU; the frontend's is the domU's (it
 * writes its state and keys there), readable by dom0.
 *
 * Return: 0 or -errno.
 */
int fb_create_nodes(struct fb_kv *bk, int nb, struct fb_kv *fk, int nf,
		    int (*extra)(uint32_t tx))
{
	int err, tries = 0;
	char probe[8];
	uint32_t tx;

	fb_kv_add(bk, &nb, "frontend", "%s", fb.fe);
	fb_kv_add(bk, &nb, "frontend-id", "%u", fb.domid);
	fb_kv_add(bk, &nb, "online", "1");
	fb_kv_add(bk, &nb, "state", "%d", ST_INITWAIT);
	fb_kv_add(fk, &nf, "backend", "%s", fb.be);
	fb_kv_add(fk, &nf, "backend-id", "0");
	if (fb.trusted >= 0)
		fb_kv_add(fk, &nf, "trusted", "%ld", fb.trusted);
	fb_kv_add(fk, &nf, "state", "%d", ST_INITIALISING);
	if (xs_read(0, fb.fe, probe, sizeof(probe)) >= 0) {
		fb_log("%s exists already: another device uses id %lu", fb.fe,
		       fb.id);
		return -EEXIST;
	}
	if (xs_read(0, fb.be, probe, sizeof(probe)) >= 0) {
		fb_log("%s exists already", fb.be);
		return -EEXIST;
	}
	do {
		be_parent_made = xs_read(0, fb.be_parent, probe,
					 sizeof(probe)) == -ENOENT;
		err = xs_tx_start(&tx);
		if (err)
			return err;
		err = write_dir(tx, fb.be, 0, fb.domid, bk, nb);
		if (!err)
			err = write_dir(tx, fb.fe, fb.domid, 0, fk, nf);
		if (!err && extra)
			err = extra(tx);
		if (err) {
			xs_tx_end(tx, 0);
			return err;
		}
		err = xs_tx_end(tx, 1);
	} while (err == -EAGAIN && ++tries < 10);
	if (err)
		fb_log("committing the device nodes: %s", strerror(-err));
	return err;
}

static void remove_nodes(void)
{
	char path[128];
	int err;

	err = xs_rm(0, fb.fe);
	if (err && err != -ENOENT)
		fb_log("removing %s: %s", fb.fe, strerror(-err));
	err = xs_rm(0, fb.be);
	if (err && err != -ENOENT)
		fb_log("removing %s: %s", fb.be, strerror(-err));
	/* The frontend's error node, as a toolstack removes it. */
	snprintf(path, sizeof(path), "/local/domain/%u/error/device/%s/%lu",
		 fb.domid, fb_ops->type, fb.id);
	err = xs_rm(0, path);
	if (err && err != -ENOENT)
		fb_log("removing %s: %s", path, strerror(-err));
	/* backend/TYPE/DOMID, if we made it and it is empty now. */
	if (be_parent_made && xs_children(fb.be_parent) == 0)
		xs_rm(0, fb.be_parent);
}

/* ---- the run -------------------------------------------------------------- */

static int stop_signal;		/* __atomic: set by the handler */

static void on_signal(int sig)
{
	__atomic_store_n(&stop_signal, sig, __ATOMIC_RELAXED);
}

/**
 * fb_storm_start() - Send fb.storm_n empty events on @port from now on.
 * @port: ours, bound
 *
 * Sent 1000 at a time between the rounds of serving, which go on; the
 * log says "storm done: N events in S s" at the end.
 */
void fb_storm_start(unsigned int port)
{
	fb.storm_port = port;
	fb.storm_left = fb.storm_n;
	fb.storm_start = fb_now();
}

static void storm_step(void)
{
	unsigned long n = fb.storm_left < 1000 ? fb.storm_left : 1000;

	if (!n)
		return;
	for (unsigned long i = 0; i < n; i++)
		evtchn_notify(fb.storm_port);
	fb.storm_sent += n;
	fb.storm_left -= n;
	if (!fb.storm_left)
		fb_log("storm done: %lu events in %.1f s", fb.storm_sent,
		       fb_now() - fb.storm_start);
}

/*
 * Serve until the frontend is gone or Closed.  Returns the end reason;
 * *RC is set on errors and timeouts.  When we close first (signal,
 * timeout, failed connect), the frontend has 5 s to follow.
 */
static const char *run(int *rc)
{
	long lifetime = fb.timeout > 0 ? fb.timeout : 600;
	double deadline = fb_now() + lifetime, closing_since = 0, next_check = 0;
	const char *reason = NULL;	/* why we are closing */
	unsigned long fs, last_fs = ~0UL, last_logged_fs = ~0UL;
	int be_closing = 0, err;

	for (;;) {
		if (!reason && __atomic_load_n(&stop_signal, __ATOMIC_RELAXED)) {
			fb_log("signal %d: closing", stop_signal);
			reason = "signal";
		}
		if (!reason && fb_now() > deadline) {
			fb_log("timeout (%lds): closing", lifetime);
			reason = "timeout";
			*rc = 2;
		}
		if (reason && !closing_since) {
			/* An unplug, as a toolstack does it: offline first. */
			closing_since = fb_now();
			xs_printf(0, fb.be, "online", "0");
			fb_ops->disconnect();
			fb_set_be_state(ST_CLOSING);
			be_closing = 1;
		}
		if (closing_since && fb_now() > closing_since + 5) {
			fb_log("frontend did not close within 5s");
			return reason;
		}

		fb_wait_event(fb.connected && fb.storm_left ? 0 : 50);
		if (fb.connected && !fb.stalled)
			fb_ops->serve();
		if (fb.connected)
			storm_step();
		if (fb_now() < next_check)
			continue;
		next_check = fb_now() + 0.1;

		err = xs_read_ulong(fb.fe, "state", &fs);
		if (err == -ENOENT) {
			fb_log("frontend node gone");
			return reason ? reason : "frontend-gone";
		}
		if (err) {
			fb_log("reading frontend state: %s", strerror(-err));
			*rc = 1;
			return "xenstore-error";
		}
		if (fs != last_fs)
			fb_log("frontend state %lu (%s)", fs, fb_state_name(fs));
		last_fs = fs;
		switch (fs) {
		case ST_INITIALISED:
		case ST_CONNECTED:
			if (fb.connected || be_closing || fb.stalled)
				break;
			if (fb_ops->connect()) {
				*rc = 1;
				fb_log_fe_error();
				reason = "connect-failed";
			}
			break;
		case ST_CLOSING:
			if (!fb.follow && !be_closing) {
				/* Stay: the test reads what the frontend did. */
				if (fs != last_logged_fs)
					fb_log_fe_error();
				last_logged_fs = fs;
				break;
			}
			if (!be_closing) {
				fb_log_fe_error();
				if (fb_ops->fe_closing())
					fb_ops->disconnect();
				fb_set_be_state(ST_CLOSING);
				be_closing = 1;
			}
			break;
		case ST_CLOSED:
			if (fs != last_logged_fs)
				fb_log_fe_error();
			last_logged_fs = fs;
			/* The tool may keep its maps until it is stopped. */
			if (fb_ops->fe_closed() && !reason)
				break;
			fb_ops->disconnect();
			return reason ? reason : "frontend-closed";
		default:
			break;
		}
	}
}

static int parse_ulong(const char *s, unsigned long *v)
{
	char *end;

	if (!*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 19)
		return -1;
	errno = 0;
	*v = strtoul(s, &end, 10);
	return errno ? -1 : 0;
}

/* One generic setting, else the tool's; -1 if unknown or bad. */
static int set_key(const char *key, const char *val, unsigned long v)
{
	if (!strcmp(key, "timeout") && v > 0 && v <= 86400)
		fb.timeout = v;
	else if (!strcmp(key, "follow") && v <= 1)
		fb.follow = v;
	else if (!strcmp(key, "trusted") && v <= 1)
		fb.trusted = v;
	else if (!strcmp(key, "storm") && v > 0 && v <= 100000000)
		fb.storm_n = v;
	else
		return fb_ops->set_key(key, val, v);
	return 0;
}

/* KEY:VALUE (or KEY=VALUE) settings; every value is a decimal number. */
static int parse_keys(int argc, char **argv)
{
	for (int i = 0; i < argc; i++) {
		char *eq = strpbrk(argv[i], ":=");
		unsigned long v;
		char sep = 0;
		int err = -1;

		if (eq && !parse_ulong(eq + 1, &v)) {
			sep = *eq;
			*eq = 0;
			err = set_key(argv[i], eq + 1, v);
			*eq = sep;
		}
		if (err) {
			fprintf(stderr, "%s: bad setting \"%s\"\n", fb_ops->tool,
				argv[i]);
			return -1;
		}
	}
	return 0;
}

/* Open the devices, name the nodes, have the tool make the device. */
static int setup(void)
{
	snprintf(fb.fe, sizeof(fb.fe), "/local/domain/%u/device/%s/%lu",
		 fb.domid, fb_ops->type, fb.id);
	snprintf(fb.be_parent, sizeof(fb.be_parent),
		 "/local/domain/0/backend/%s/%u", fb_ops->type, fb.domid);
	snprintf(fb.be, sizeof(fb.be), "%s/%lu", fb.be_parent, fb.id);
	if (fb_io_open())
		return -ENODEV;
	return fb_ops->setup();
}

/* After setup(): serve, clean up, summary.  Returns the exit status. */
static int serve_and_finish(const char *sumfile)
{
	struct sigaction sa = { .sa_handler = on_signal };
	const char *end;
	char line[512], words[320];
	int rc = 0;

	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	end = run(&rc);
	fb_ops->disconnect();
	if (strcmp(end, "frontend-gone"))
		fb_set_be_state(ST_CLOSED);
	remove_nodes();
	fb_ops->summary(words, sizeof(words));
	snprintf(line, sizeof(line), "summary domid=%u %s=%lu mode=%s %s end=%s rc=%d",
		 fb.domid, fb_ops->type, fb.id, fb_ops->modes[fb.mode], words, end,
		 rc);
	fb_log("%s", line);
	if (sumfile) {
		char tmp[300];
		FILE *f;

		snprintf(tmp, sizeof(tmp), "%s.tmp", sumfile);
		f = fopen(tmp, "w");
		if (f) {
			fprintf(f, "%s: %s\n", fb_ops->tool, line);
			if (fclose(f) == 0)
				rename(tmp, sumfile);
		}
	}
	return rc;
}

/* ---- the agent's interface ------------------------------------------------ */

static char pidfile[200], logfile[200], sumfile[200];

static int print_summary(void)
{
	char line[600];
	FILE *f = fopen(sumfile, "r");
	const char *p;

	if (!f || !fgets(line, sizeof(line), f)) {
		if (f)
			fclose(f);
		printf("%s: no summary in %s\n", fb_ops->tool, sumfile);
		return 1;
	}
	fclose(f);
	fputs(line, stdout);
	p = strstr(line, " rc=");
	return p ? atoi(p + 4) : 1;
}

static int wait_summary(double secs)
{
	double until = fb_now() + secs;
	struct stat sb;

	while (stat(sumfile, &sb)) {
		if (fb_now() > until)
			return -1;
		usleep(100000);
	}
	return 0;
}

static long read_pid(void)
{
	char buf[32] = "";
	FILE *f = fopen(pidfile, "r");

	if (!f)
		return -1;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = 0;
	fclose(f);
	return atol(buf) > 0 ? atol(buf) : -1;
}

/* The daemon's side of do_start(): set up, say so on @pfd, serve. */
static void daemon_main(int pfd)
{
	char msg[256];
	ssize_t n;
	int fd;

	setsid();
	if (fork())
		_exit(0);
	/* Nothing of the caller's stays open. */
	fd = open("/dev/null", O_RDWR);
	dup2(fd, STDIN_FILENO);
	fd = open(logfile, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
	if (fd < 0)
		fd = open("/dev/null", O_WRONLY);
	dup2(fd, STDOUT_FILENO);
	dup2(fd, STDERR_FILENO);
	if (fd > STDERR_FILENO)
		close(fd);
	if (setup()) {
		snprintf(msg, sizeof(msg), "setup failed, see %s", logfile);
		if (write(pfd, msg, strlen(msg)) < 0)
			_exit(1);
		_exit(1);
	}
	fd = open(pidfile, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd >= 0) {
		n = snprintf(msg, sizeof(msg), "%d\n", (int)getpid());
		if (write(fd, msg, n) != n)
			fb_log("writing %s failed", pidfile);
		close(fd);
	}
	n = snprintf(msg, sizeof(msg), "OK %d", (int)getpid());
	if (write(pfd, msg, n) != n)
		fb_log("could not tell the caller we started");
	close(pfd);
	n = serve_and_finish(sumfile);
	unlink(pidfile);
	_exit(n);
}

static int do_start(void)
{
	long old = read_pid();
	struct stat sb;
	char msg[256];
	int pfd[2];
	ssize_t n;
	pid_t pid;

	if (old > 0 && stat(sumfile, &sb) && kill(old, 0) == 0) {
		printf("%s: pid %ld already serves domid %u %s %lu\n",
		       fb_ops->tool, old, fb.domid, fb_ops->type, fb.id);
		return 1;
	}
	unlink(sumfile);
	unlink(pidfile);
	if (pipe(pfd))
		return 1;
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return 1;
	if (!pid) {
		close(pfd[0]);
		daemon_main(pfd[1]);
	}
	/* The first child forks the daemon and exits at once. */
	close(pfd[1]);
	waitpid(pid, NULL, 0);
	n = read(pfd[0], msg, sizeof(msg) - 1);
	msg[n > 0 ? n : 0] = 0;
	if (strncmp(msg, "OK", 2)) {
		printf("%s: failed to start: %s\n", fb_ops->tool,
		       n > 0 ? msg : "(no word from it)");
		return 1;
	}
	printf("%s: started pid %s domid %u %s %lu mode %s, log %s\n",
	       fb_ops->tool, msg + 3, fb.domid, fb_ops->type, fb.id,
	       fb_ops->modes[fb.mode], logfile);
	return 0;
}

static int do_log(void)
{
	char buf[3001];
	int fd = open(logfile, O_RDONLY);
	off_t size;
	ssize_t n;

	if (fd < 0) {
		printf("%s: no log %s\n", fb_ops->tool, logfile);
		return 1;
	}
	size = lseek(fd, 0, SEEK_END);
	lseek(fd, size > 3000 ? size - 3000 : 0, SEEK_SET);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n > 0)
		fwrite(buf, 1, n, stdout);
	return 0;
}

static int do_stop(void)
{
	struct stat sb;
	long pid;

	if (stat(sumfile, &sb)) {
		pid = read_pid();
		if (pid <= 0 || kill(pid, SIGTERM)) {
			printf("%s: no instance for domid %u %s %lu\n",
			       fb_ops->tool, fb.domid, fb_ops->type, fb.id);
			return 1;
		}
		if (wait_summary(fb.timeout > 0 ? fb.timeout : 20)) {
			printf("%s: pid %ld did not stop\n", fb_ops->tool, pid);
			return 2;
		}
	}
	return print_summary();
}

static int do_word(const char *word)
{
	char dir[64];

	snprintf(dir, sizeof(dir), "/run/%s", fb_ops->tool);
	mkdir(dir, 0755);
	snprintf(pidfile, sizeof(pidfile), "%s/%u-%lu.pid", dir, fb.domid, fb.id);
	snprintf(logfile, sizeof(logfile), "%s/%u-%lu.log", dir, fb.domid, fb.id);
	snprintf(sumfile, sizeof(sumfile), "%s/%u-%lu.sum", dir, fb.domid, fb.id);
	if (!strcmp(word, "wait")) {
		if (wait_summary(fb.timeout > 0 ? fb.timeout : 30)) {
			printf("%s: domid %u %s %lu still running\n",
			       fb_ops->tool, fb.domid, fb_ops->type, fb.id);
			return 2;
		}
		return print_summary();
	}
	if (!strcmp(word, "stop"))
		return do_stop();
	if (!strcmp(word, "log"))
		return do_log();
	return do_start();
}

static void print_help(void)
{
	fprintf(stderr, "usage: %s DOMID {MODE|stop|wait|log} [KEY:VALUE...]\n",
		fb_ops->tool);
	fprintf(stderr, "       %s -f DOMID MODE [KEY:VALUE...]   (foreground)\n",
		fb_ops->tool);
	fprintf(stderr, "%s      timeout follow trusted storm\n", fb_ops->usage);
	exit(1);
}

/**
 * fb_main() - A test backend's main().
 * @argc: main()'s
 * @argv: main()'s
 * @ops: the tool
 *
 * Return: the exit status: 0 the frontend closed (or SIGTERM), 1 an
 * error, 2 a timeout.
 */
int fb_main(int argc, char **argv, const struct fb_ops *ops)
{
	int fg = argc > 1 && !strcmp(argv[1], "-f");
	unsigned long domid;
	int word, m = -1;

	fb_ops = ops;
	if (fg) {
		argv++;
		argc--;
	}
	if (argc < 3 || parse_ulong(argv[1], &domid) || !domid ||
	    domid >= 0x7ff0)
		print_help();
	fb.domid = domid;
	word = !fg && (!strcmp(argv[2], "stop") || !strcmp(argv[2], "wait") ||
		       !strcmp(argv[2], "log"));
	for (unsigned int i = 0; !word && i < ops->nr_modes; i++)
		if (!strcmp(argv[2], ops->modes[i]))
			m = i;
	if (word)
		m = 0;
	if (m < 0)
		print_help();
	fb.mode = m;
	if (parse_keys(argc - 3, argv + 3))
		return 1;
	ops->configure();
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!fg)
		return do_word(argv[2]);
	if (setup())
		return 1;	/* nodes are made in one transaction: none left */
	return serve_and_finish(NULL);
}
