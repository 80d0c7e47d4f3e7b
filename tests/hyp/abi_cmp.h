/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * An ABI list built with minixen's headers against the same list built
 * with Xen's (grant_abi.h, blkif_abi.h: the body of a function that
 * stores up to ABI_MAX values and returns how many).
 */
#ifndef ABI_CMP_H
#define ABI_CMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define ABI_MAX	128

typedef size_t (*abi_list_fn)(long *v);

/*
 * Do the lists of @ours and @xens match? @n: the entries of ours. If
 * not, a TAP comment names the first difference.
 */
static inline bool abi_same(const char *list, abi_list_fn ours,
			    abi_list_fn xens, size_t *n)
{
	long o[ABI_MAX], x[ABI_MAX];
	size_t no = ours(o), nx = xens(x), i;

	*n = no;
	for (i = 0; i < no && i < nx; i++)
		if (o[i] != x[i])
			break;
	if (i == no && no == nx)
		return true;
	if (i < no && i < nx)
		printf("#   entry %zu of %s: ours %ld, Xen's %ld\n", i, list,
		       o[i], x[i]);
	else
		printf("#   %s: %zu entries, Xen's %zu\n", list, no, nx);
	return false;
}

#endif
