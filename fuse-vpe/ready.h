/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ready: telling a service manager that the daemon serves (systemd's
 * Type=notify): the mount is up and the /dev links exist.
 */
#ifndef READY_H
#define READY_H

/*
 * Send "READY=1" to the socket named by $NOTIFY_SOCKET, if any (a path, or
 * "@name" for the abstract namespace).  Returns 0, or -errno (reported to
 * the caller: a manager that waits for it would otherwise time out).
 */
int ready_notify(void);

#endif /* READY_H */
