// SPDX-License-Identifier: GPL-2.0
/*
 * System settings a run changes (nr_hugepages, THP modes). The original value
 * is saved before the first write and written back by settings_restore(),
 * which the signal handler may call: it only uses open/write/close on
 * preallocated storage.
 */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include "gupbench.h"
#include "util.h"
#include "settings.h"

#define MAX_SETTINGS 16

struct saved_setting {
	char path[256];
	char value[128];
	int changed;
};

static struct saved_setting saved[MAX_SETTINGS];
static volatile int nr_saved;

int setting_write(const char *path, const char *value)
{
	int i;

	for (i = 0; i < nr_saved; i++)
		if (!strcmp(saved[i].path, path))
			break;
	if (i == nr_saved) {
		if (i == MAX_SETTINGS || strlen(path) >= sizeof(saved[i].path))
			return -1;
		/* THP mode files read "always [madvise] never": keep the choice */
		if (read_mode(path, saved[i].value, sizeof(saved[i].value)))
			return -1;
		strcpy(saved[i].path, path);
		nr_saved = i + 1;
	}
	saved[i].changed = 1;
	return write_file_str(path, value);
}

void settings_restore(void)
{
	for (int i = nr_saved - 1; i >= 0; i--) {
		int fd;

		if (!saved[i].changed)
			continue;
		fd = open(saved[i].path, O_WRONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (write(fd, saved[i].value, strlen(saved[i].value)) >= 0)
			saved[i].changed = 0;
		close(fd);
	}
}
