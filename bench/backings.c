// SPDX-License-Identifier: GPL-2.0
/* The table of backings: add a backing_<name>.c and one line here. */
#include <string.h>
#include "gupbench.h"

extern const struct backing_ops backing_anon, backing_anon_thp, backing_shmem,
	backing_shmem_thp, backing_hugetlb, backing_hugetlb_1g,
	backing_file_shared, backing_file_private, backing_secretmem;

const struct backing_ops *const backings[] = {
	&backing_anon,
	&backing_anon_thp,
	&backing_shmem,
	&backing_shmem_thp,
	&backing_hugetlb,
	&backing_hugetlb_1g,
	&backing_file_shared,
	&backing_file_private,
	&backing_secretmem,
	NULL,
};

const struct backing_ops *backing_find(const char *name)
{
	for (int i = 0; backings[i]; i++)
		if (!strcmp(backings[i]->name, name))
			return backings[i];
	return NULL;
}
