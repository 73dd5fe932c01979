// SPDX-License-Identifier: GPL-2.0
/* The table of drivers: add a driver_<name>.c and one line here. */
#include <string.h>
#include "gupbench.h"

extern const struct driver_ops driver_iouring, driver_futex, driver_kmod;

const struct driver_ops *const drivers[] = {
	&driver_kmod,
	&driver_iouring,
	&driver_futex,
	NULL,
};

const struct driver_ops *driver_find(const char *name)
{
	for (int i = 0; drivers[i]; i++)
		if (!strcmp(drivers[i]->name, name))
			return drivers[i];
	return NULL;
}
