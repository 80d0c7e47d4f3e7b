/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The grant-table ABI minixen's grant.h copies, listed for test_grant.c to
 * compare against Xen's own xen/grant_table.h (grant_abi.c): X(struct,
 * field) offsets, S(struct) sizes, K(constant) values.  This is the body
 * of a function `size_t NAME(long *v)` that stores them in v[] (at most
 * ABI_MAX of abi_cmp.h) and returns how many; each side includes it once,
 * with its own headers in scope.
 */
	size_t n = 0;

#define X(s, f)	(v[n++] = (long)offsetof(struct s, f))
#define S(s)	(v[n++] = (long)sizeof(struct s))
#define K(k)	(v[n++] = (long)(k))
	S(grant_entry_v1);
	X(grant_entry_v1, flags);
	X(grant_entry_v1, domid);
	X(grant_entry_v1, frame);
	S(gnttab_map_grant_ref);
	X(gnttab_map_grant_ref, host_addr);
	X(gnttab_map_grant_ref, flags);
	X(gnttab_map_grant_ref, ref);
	X(gnttab_map_grant_ref, dom);
	X(gnttab_map_grant_ref, status);
	X(gnttab_map_grant_ref, handle);
	X(gnttab_map_grant_ref, dev_bus_addr);
	S(gnttab_unmap_grant_ref);
	X(gnttab_unmap_grant_ref, host_addr);
	X(gnttab_unmap_grant_ref, dev_bus_addr);
	X(gnttab_unmap_grant_ref, handle);
	X(gnttab_unmap_grant_ref, status);
	S(gnttab_setup_table);
	X(gnttab_setup_table, dom);
	X(gnttab_setup_table, nr_frames);
	X(gnttab_setup_table, status);
	X(gnttab_setup_table, frame_list);
	S(gnttab_copy);
	X(gnttab_copy, source.u.ref);
	X(gnttab_copy, source.u.gmfn);
	X(gnttab_copy, source.domid);
	X(gnttab_copy, source.offset);
	X(gnttab_copy, dest.u.gmfn);
	X(gnttab_copy, dest.domid);
	X(gnttab_copy, dest.offset);
	X(gnttab_copy, len);
	X(gnttab_copy, flags);
	X(gnttab_copy, status);
	S(gnttab_query_size);
	X(gnttab_query_size, dom);
	X(gnttab_query_size, nr_frames);
	X(gnttab_query_size, max_nr_frames);
	X(gnttab_query_size, status);
	S(gnttab_set_version);
	X(gnttab_set_version, version);
	S(gnttab_get_status_frames);
	X(gnttab_get_status_frames, nr_frames);
	X(gnttab_get_status_frames, dom);
	X(gnttab_get_status_frames, status);
	X(gnttab_get_status_frames, frame_list);
	S(gnttab_get_version);
	X(gnttab_get_version, dom);
	X(gnttab_get_version, version);
	K(DOMID_SELF);
	K(GNTTAB_NR_RESERVED_ENTRIES);
	K(GTF_invalid);
	K(GTF_permit_access);
	K(GTF_accept_transfer);
	K(GTF_transitive);
	K(GTF_type_mask);
	K(GTF_readonly);
	K(GTF_reading);
	K(GTF_writing);
	K(GTF_PWT);
	K(GTF_PCD);
	K(GTF_PAT);
	K(GTF_sub_page);
	K(GNTTABOP_map_grant_ref);
	K(GNTTABOP_unmap_grant_ref);
	K(GNTTABOP_setup_table);
	K(GNTTABOP_dump_table);
	K(GNTTABOP_transfer);
	K(GNTTABOP_copy);
	K(GNTTABOP_query_size);
	K(GNTTABOP_unmap_and_replace);
	K(GNTTABOP_set_version);
	K(GNTTABOP_get_status_frames);
	K(GNTTABOP_get_version);
	K(GNTTABOP_swap_grant_ref);
	K(GNTTABOP_cache_flush);
	K(GNTMAP_device_map);
	K(GNTMAP_host_map);
	K(GNTMAP_readonly);
	K(GNTMAP_application_map);
	K(GNTMAP_contains_pte);
	K(GNTCOPY_source_gref);
	K(GNTCOPY_dest_gref);
	K(GNTST_okay);
	K(GNTST_general_error);
	K(GNTST_bad_domain);
	K(GNTST_bad_gntref);
	K(GNTST_bad_handle);
	K(GNTST_bad_virt_addr);
	K(GNTST_bad_dev_addr);
	K(GNTST_no_device_space);
	K(GNTST_permission_denied);
	K(GNTST_bad_page);
	K(GNTST_bad_copy_arg);
	K(GNTST_address_too_big);
	K(GNTST_eagain);
	K(GNTST_no_space);
#undef X
#undef S
#undef K
	return n;
