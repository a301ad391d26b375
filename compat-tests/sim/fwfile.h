/* request_firmware: find a firmware file by name in the firmware directory. */
#ifndef RPROC_SIM_FWFILE_H
#define RPROC_SIM_FWFILE_H

#include <stddef.h>
#include <stdint.h>

/* 0 and a malloc'd copy of DIR/NAME, or the kernel's error: -EINVAL for a
 * ".." path component, -ENAMETOOLONG, -ENOENT for anything unreadable.
 * Logs like the firmware loader. */
int fw_request(const char *dir, const char *name, uint8_t **data,
	       size_t *size);

#endif
