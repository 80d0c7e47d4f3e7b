// SPDX-License-Identifier: GPL-2.0-only
/*
 * xen_version: who minixen says it is (Xen 4.17, extraversion
 * ".0-minixen") and the features an arm64 guest of Xen 4.17 gets. What
 * Xen's default policy keeps from unprivileged domains (command line,
 * build id) is kept from them here too.
 */
#include <minixen/bootcfg.h>
#include <minixen/domain.h>
#include <minixen/guest_access.h>
#include <minixen/hypercall.h>
#include <minixen/vcpu.h>

#define DENIED		"<denied>"

u32 xen_features(const struct domain *d)
{
	u32 f = BIT(XENFEAT_memory_op_vnode_supported) |
		BIT(XENFEAT_writable_page_tables) |
		BIT(XENFEAT_auto_translated_physmap) |
		BIT(XENFEAT_ARM_SMCCC_supported);

	/*
	 * No XENFEAT_dom0, even for the privileged domain: xenstore and the
	 * backends live in minixen, so no guest must act as Xen's dom0.
	 */
	if (d->ram_ipa == d->ram_pa)
		f |= BIT(XENFEAT_direct_mapped);
	else
		f |= BIT(XENFEAT_not_direct_mapped);
	return f;
}

/* @s, NUL-padded to @size bytes, to the guest. */
static long put_str(struct vcpu *v, u64 arg, const char *s, size_t size)
{
	static const char zero[64];
	size_t n = strnlen(s, size - 1), done;

	if (copy_to_guest(v, arg, s, n))
		return -XEN_EFAULT;
	for (done = n; done < size; done += MIN(size - done, sizeof(zero)))
		if (copy_to_guest(v, arg + done, zero,
				  MIN(size - done, sizeof(zero))))
			return -XEN_EFAULT;
	return 0;
}

static long features(struct vcpu *v, u64 arg)
{
	struct xen_feature_info fi;

	if (copy_from_guest(v, &fi, arg, sizeof(fi)))
		return -XEN_EFAULT;
	if (fi.submap_idx != 0)
		return -XEN_EINVAL;
	fi.submap = xen_features(v->d);
	return copy_to_guest(v, arg, &fi, sizeof(fi)) ? -XEN_EFAULT : 0;
}

long do_xen_version(struct vcpu *v, struct hc_call *c)
{
	static const u8 handle[XEN_HANDLE_LEN];
	struct xen_compile_info ci;
	bool priv = v->d->xen.privileged;
	u64 arg = c->a[1];

	switch ((u32)c->a[0]) {
	case XENVER_version:
		return (MX_XEN_MAJOR << 16) | MX_XEN_MINOR;
	case XENVER_extraversion:
		return put_str(v, arg, MX_XEN_EXTRA, XEN_EXTRAVERSION_LEN);
	case XENVER_compile_info:
		memset(&ci, 0, sizeof(ci));
		snprintf(ci.compiler, sizeof(ci.compiler), "gcc");
		snprintf(ci.compile_by, sizeof(ci.compile_by), "minixen");
		return copy_to_guest(v, arg, &ci, sizeof(ci)) ? -XEN_EFAULT : 0;
	case XENVER_capabilities:
		return put_str(v, arg, "xen-3.0-aarch64 xen-3.0-armv7l ",
			       XEN_CAPABILITIES_LEN);
	case XENVER_changeset:
		return put_str(v, arg, "minixen", XEN_CHANGESET_LEN);
	case XENVER_platform_parameters:
		/* struct xen_platform_parameters: virt_start, 0 on arm */
		return copy_to_guest(v, arg, handle, 8) ? -XEN_EFAULT : 0;
	case XENVER_get_features:
		return features(v, arg);
	case XENVER_pagesize:
		return arg ? -XEN_EINVAL : (long)XEN_PAGE_SIZE;
	case XENVER_guest_handle:
		return copy_to_guest(v, arg, handle, sizeof(handle)) ?
		       -XEN_EFAULT : 0;
	case XENVER_commandline:
		if (!priv)
			return put_str(v, arg, DENIED, sizeof(DENIED));
		return put_str(v, arg, boot_cfg.cmdline, XEN_COMMANDLINE_LEN);
	case XENVER_build_id:
		return priv ? -XEN_ENODATA : -XEN_EPERM;	/* no build id */
	default:
		return -XEN_ENOSYS;
	}
}
