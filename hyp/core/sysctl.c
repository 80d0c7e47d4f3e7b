// SPDX-License-Identifier: GPL-2.0-only
/*
 * sysctl: XEN_SYSCTL_readconsole for the privileged domain, the console
 * ring (minixen/conring.h) as `xl dmesg` reads Xen's: every domain's
 * console lines as minixen printed them, so dom0 can follow a domU's
 * console. Other commands: -ENOSYS; another interface version: -EACCES,
 * as Xen answers.
 */
#include <minixen/conring.h>
#include <minixen/domain.h>
#include <minixen/guest_access.h>
#include <minixen/hypercall.h>
#include <minixen/vcpu.h>

#define CHUNK	256

static long readconsole(struct vcpu *v, struct xen_sysctl_readconsole *r)
{
	char buf[CHUNK];
	u32 pos, done = 0;
	size_t n;

	pos = r->incremental ? r->index : conring_start();
	while (done < r->count) {
		n = conring_read(&pos, buf, MIN(sizeof(buf), r->count - done));
		if (!n)
			break;
		if (copy_to_guest(v, r->buffer + done, buf, n))
			return -XEN_EFAULT;
		done += n;
	}
	if (r->clear)
		conring_clear();
	r->index = pos;
	r->count = done;
	return 0;
}

long do_sysctl(struct vcpu *v, struct hc_call *c)
{
	struct xen_sysctl op;
	long ret;

	if (copy_from_guest(v, &op, c->a[0], sizeof(op)))
		return -XEN_EFAULT;
	if (op.interface_version != XEN_SYSCTL_INTERFACE_VERSION)
		return -XEN_EACCES;
	if (!v->d->xen.privileged)
		return -XEN_EPERM;
	if (op.cmd != XEN_SYSCTL_readconsole)
		return -XEN_ENOSYS;
	ret = readconsole(v, &op.u.readconsole);
	if (!ret && copy_to_guest(v, c->a[0], &op, sizeof(op)))
		return -XEN_EFAULT;
	return ret;
}
