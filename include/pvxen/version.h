/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pvxen: the release version, the one place it is written.
 *
 * Every driver module reports it with MODULE_VERSION(PVXEN_VERSION)
 * (modinfo's "version:").  debian/changelog's version must be the same
 * (debian/rules refuses to build otherwise, tests/dkms/check-dkms checks
 * it), and dh_dkms writes that version into the package's dkms.conf.
 */
#ifndef _PVXEN_VERSION_H
#define _PVXEN_VERSION_H

#define PVXEN_VERSION "0.1.0"

#endif /* _PVXEN_VERSION_H */
