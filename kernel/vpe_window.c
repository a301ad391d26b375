// SPDX-License-Identifier: GPL-2.0
/*
 * vpe_compat: a remote processor's memory window and its doorbells, as
 * misc devices.
 *
 * /dev/vpe_compatN is the Linux side: mmap of the window, read/poll of the
 * remote-to-Linux doorbell, and ioctls (window info, kick the remote, log a
 * deprecation line).  In test mode the window is vmalloc'd memory and
 * /dev/vpe_compatN_remote is the remote's side: a user-space stand-in for
 * the firmware maps the same memory, and each side's kick rings the other
 * side's doorbell.
 *
 * Any number of files may be open on either node.  All may map the window.
 * A doorbell is a 64-bit atomic counter; each file reads it relative to its
 * value when the file was opened and has its own "last read" position, so
 * every reader sees every ring.  A file (and each mapping, through its file)
 * holds a reference to the window: the memory outlives device removal, and
 * the module cannot be unloaded while a file or a mapping is alive.
 */

#define pr_fmt(fmt) "vpe-compat: " fmt

#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/idr.h>
#include <linux/interrupt.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/ratelimit.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include "uapi/vpe_compat.h"
#include "vpe_compat.h"

static DEFINE_IDA(vpe_ida);

/*
 * Deprecation lines: at most 10 per 5 seconds for the whole module.  The
 * caller learns of a dropped line (EAGAIN), so the log gets no
 * "callbacks suppressed" lines.
 */
static struct ratelimit_state vpe_deprecation_rs =
	RATELIMIT_STATE_INIT_FLAGS(vpe_deprecation_rs, 5 * HZ, 10,
				   RATELIMIT_MSG_ON_RELEASE);

/* One open file of a node. */
struct vpe_node_file {
	struct vpe_window *win;
	enum vpe_side side;
	s64 base;		/* the doorbell count when the file was opened */
	atomic64_t seen;	/* the largest count read() returned */
};

static void vpe_window_release(struct kref *kref)
{
	struct vpe_window *win = container_of(kref, struct vpe_window, kref);

	vfree(win->vbuf);
	kfree(win);
}

/* Ring the doorbell of @side. */
static void vpe_ring(struct vpe_window *win, enum vpe_side side)
{
	struct vpe_bell *bell = &win->bell[side];

	/* Order the ringer's writes to the window before the new count. */
	smp_mb__before_atomic();
	atomic64_inc(&bell->count);
	wake_up_interruptible_poll(&bell->wait, EPOLLIN | EPOLLRDNORM);
}

/*
 * The doorbell cannot tell who raised it: on a shared line every interrupt
 * counts as a ring (a spurious ring only makes the reader look again).
 */
static irqreturn_t vpe_doorbell_irq(int irq, void *data)
{
	vpe_ring(data, VPE_SIDE_LINUX);
	return IRQ_HANDLED;
}

/* Has @bell moved away from @seen, or has the window gone? */
static bool vpe_rang(struct vpe_window *win, struct vpe_bell *bell, s64 seen)
{
	return atomic64_read(&bell->count) != seen || READ_ONCE(win->dead);
}

static bool vpe_has_doorbell(struct vpe_window *win, enum vpe_side side)
{
	return win->test || (side == VPE_SIDE_LINUX && win->irq >= 0);
}

static int vpe_node_open(struct inode *inode, struct file *file)
{
	struct vpe_node *node = container_of(file->private_data,
					     struct vpe_node, misc);
	struct vpe_window *win = node->win;
	struct vpe_node_file *vf;

	vf = kzalloc(sizeof(*vf), GFP_KERNEL);
	if (!vf)
		return -ENOMEM;

	/*
	 * misc_open() calls us under misc_mtx, and the window's misc devices
	 * are deregistered before its creator's reference is dropped, so the
	 * window is alive here.
	 */
	kref_get(&win->kref);
	vf->win = win;
	vf->side = node->side;
	vf->base = atomic64_read(&win->bell[node->side].count);
	atomic64_set(&vf->seen, vf->base);
	file->private_data = vf;

	return stream_open(inode, file);
}

static int vpe_node_release(struct inode *inode, struct file *file)
{
	struct vpe_node_file *vf = file->private_data;

	kref_put(&vf->win->kref, vpe_window_release);
	kfree(vf);
	return 0;
}

static ssize_t vpe_node_read(struct file *file, char __user *buf,
			     size_t len, loff_t *ppos)
{
	struct vpe_node_file *vf = file->private_data;
	struct vpe_window *win = vf->win;
	struct vpe_bell *bell = &win->bell[vf->side];
	s64 seen, now;
	u64 val;
	int ret;

	if (!vpe_has_doorbell(win, vf->side))
		return -EOPNOTSUPP;
	if (len < sizeof(val))
		return -EINVAL;

	seen = atomic64_read(&vf->seen);
	for (;;) {
		/* Pairs with vpe_ring(): the ringer's writes are visible. */
		now = atomic64_read_acquire(&bell->count);
		if (now != seen)
			break;
		if (READ_ONCE(win->dead))
			return -ENODEV;
		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		ret = wait_event_interruptible(bell->wait,
					       vpe_rang(win, bell, seen));
		if (ret)
			return ret;
	}

	/* Threads sharing this file: keep the largest count returned. */
	while (seen < now && !atomic64_try_cmpxchg(&vf->seen, &seen, now))
		cpu_relax();

	val = now - vf->base;
	if (copy_to_user(buf, &val, sizeof(val)))
		return -EFAULT;
	return sizeof(val);
}

static __poll_t vpe_node_poll(struct file *file, poll_table *wait)
{
	struct vpe_node_file *vf = file->private_data;
	struct vpe_window *win = vf->win;
	struct vpe_bell *bell = &win->bell[vf->side];
	__poll_t mask = 0;

	poll_wait(file, &bell->wait, wait);
	if (atomic64_read(&bell->count) != atomic64_read(&vf->seen))
		mask |= EPOLLIN | EPOLLRDNORM;
	if (READ_ONCE(win->dead))
		mask |= EPOLLHUP | EPOLLERR;
	return mask;
}

static int vpe_node_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct vpe_node_file *vf = file->private_data;
	struct vpe_window *win = vf->win;
	unsigned long pages = win->size >> PAGE_SHIFT;
	unsigned long len = vma_pages(vma);

	if (READ_ONCE(win->dead))
		return -ENODEV;
	/* A private mapping would copy on write: the remote would not see. */
	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	if (vma->vm_pgoff >= pages || len > pages - vma->vm_pgoff)
		return -EINVAL;

	if (win->vbuf)
		return remap_vmalloc_range(vma, win->vbuf, vma->vm_pgoff);

	/* The default protection is cached, as the remote sees the memory. */
	return remap_pfn_range(vma, vma->vm_start,
			       PHYS_PFN(win->phys) + vma->vm_pgoff,
			       len << PAGE_SHIFT, vma->vm_page_prot);
}

static int vpe_node_ioctl_info(struct vpe_node_file *vf, void __user *argp)
{
	struct vpe_window *win = vf->win;
	struct vpe_compat_info info = {
		.phys_base = win->phys,
		.size = win->size,
		.dev_base = win->dev_base,
		.flags = VPE_COMPAT_INFO_CACHED,
	};

	if (win->test)
		info.flags |= VPE_COMPAT_INFO_TEST | VPE_COMPAT_INFO_KICK;
	else if (win->kick.method != VPE_KICK_NONE)
		info.flags |= VPE_COMPAT_INFO_KICK;
	if (vf->side == VPE_SIDE_REMOTE)
		info.flags |= VPE_COMPAT_INFO_REMOTE;
	if (vpe_has_doorbell(win, vf->side))
		info.flags |= VPE_COMPAT_INFO_DOORBELL;

	if (copy_to_user(argp, &info, sizeof(info)))
		return -EFAULT;
	return 0;
}

/* Ring the doorbell of the side opposite to @from. */
static int vpe_kick(struct vpe_window *win, enum vpe_side from)
{
	unsigned long flags;
	int ret = 0;

	spin_lock_irqsave(&win->lock, flags);
	if (win->dead)
		ret = -ENODEV;
	else if (win->test)
		vpe_ring(win, from == VPE_SIDE_LINUX ?
			 VPE_SIDE_REMOTE : VPE_SIDE_LINUX);
	else if (win->kick.method == VPE_KICK_NONE)
		ret = -EOPNOTSUPP;
	else
		vpe_arch_kick(&win->kick);
	spin_unlock_irqrestore(&win->lock, flags);

	return ret;
}

/* A string from user space: non-empty, terminated, no control characters. */
static bool vpe_string_ok(const char *s, size_t size)
{
	size_t len = strnlen(s, size);
	size_t i;

	if (len == 0 || len == size)
		return false;
	for (i = 0; i < len; i++) {
		unsigned char c = s[i];

		if (c < 0x20 || c == 0x7f)
			return false;
	}
	return true;
}

static int vpe_node_ioctl_deprecated(void __user *argp)
{
	struct vpe_compat_deprecation d;

	if (copy_from_user(&d, argp, sizeof(d)))
		return -EFAULT;
	if (d.pid <= 0 || d.flags ||
	    !vpe_string_ok(d.comm, sizeof(d.comm)) ||
	    !vpe_string_ok(d.iface, sizeof(d.iface)) ||
	    !vpe_string_ok(d.replacement, sizeof(d.replacement)))
		return -EINVAL;

	if (!__ratelimit(&vpe_deprecation_rs))
		return -EAGAIN;

	pr_warn("%s[%d] uses %s, which is deprecated; use %s\n",
		d.comm, d.pid, d.iface, d.replacement);
	return 0;
}

static long vpe_node_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct vpe_node_file *vf = file->private_data;
	void __user *argp = (void __user *)arg;

	switch (cmd) {
	case VPE_COMPAT_IOC_INFO:
		return vpe_node_ioctl_info(vf, argp);
	case VPE_COMPAT_IOC_KICK:
		return vpe_kick(vf->win, vf->side);
	case VPE_COMPAT_IOC_DEPRECATED:
		return vpe_node_ioctl_deprecated(argp);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations vpe_fops = {
	.owner = THIS_MODULE,
	.open = vpe_node_open,
	.release = vpe_node_release,
	.read = vpe_node_read,
	.poll = vpe_node_poll,
	.mmap = vpe_node_mmap,
	.unlocked_ioctl = vpe_node_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

static void vpe_node_init(struct vpe_window *win, enum vpe_side side,
			  struct device *parent)
{
	struct vpe_node *node = &win->node[side];

	snprintf(node->name, sizeof(node->name), "vpe_compat%d%s", win->id,
		 side == VPE_SIDE_REMOTE ? "_remote" : "");
	node->win = win;
	node->side = side;
	node->misc.minor = MISC_DYNAMIC_MINOR;
	node->misc.name = node->name;
	node->misc.fops = &vpe_fops;
	node->misc.parent = parent;
	node->misc.mode = 0600;
}

static int vpe_node_register(struct vpe_node *node)
{
	int ret;

	ret = misc_register(&node->misc);
	if (ret) {
		pr_err("cannot register /dev/%s: %d\n", node->name, ret);
		return ret;
	}
	node->registered = true;
	return 0;
}

/* Stop everything that can reach the window; open files keep its memory. */
static void vpe_window_shutdown(struct vpe_window *win)
{
	unsigned long flags;
	int side;

	/* No new opens: misc_deregister() waits for misc_open() callers. */
	for (side = VPE_SIDES - 1; side >= 0; side--) {
		if (win->node[side].registered)
			misc_deregister(&win->node[side].misc);
		win->node[side].registered = false;
	}

	if (win->irq >= 0)
		free_irq(win->irq, win);

	/* Kicks test dead under the lock: none runs or starts after this. */
	spin_lock_irqsave(&win->lock, flags);
	WRITE_ONCE(win->dead, true);
	spin_unlock_irqrestore(&win->lock, flags);
	vpe_arch_kick_exit(&win->kick);

	for (side = 0; side < VPE_SIDES; side++)
		wake_up_interruptible_poll(&win->bell[side].wait,
					   EPOLLHUP | EPOLLERR);

	ida_free(&vpe_ida, win->id);
}

/**
 * vpe_window_create() - make a window and its device nodes
 * @cfg: where the memory is and how the doorbells work
 *
 * Return: the window, or an ERR_PTR().
 */
struct vpe_window *vpe_window_create(const struct vpe_window_config *cfg)
{
	struct vpe_window *win;
	int side, ret;

	if (!cfg->size || !PAGE_ALIGNED(cfg->size) ||
	    (!cfg->test && !PAGE_ALIGNED(cfg->phys))) {
		pr_err("window %pa+%#llx: base and size must be page aligned\n",
		       &cfg->phys, cfg->size);
		return ERR_PTR(-EINVAL);
	}

	win = kzalloc(sizeof(*win), GFP_KERNEL);
	if (!win)
		return ERR_PTR(-ENOMEM);
	kref_init(&win->kref);
	spin_lock_init(&win->lock);
	for (side = 0; side < VPE_SIDES; side++) {
		atomic64_set(&win->bell[side].count, 0);
		init_waitqueue_head(&win->bell[side].wait);
	}
	win->irq = -1;
	win->size = cfg->size;
	win->dev_base = cfg->dev_base;
	win->test = cfg->test;

	win->id = ida_alloc(&vpe_ida, GFP_KERNEL);
	if (win->id < 0) {
		ret = win->id;
		kfree(win);
		return ERR_PTR(ret);
	}

	if (cfg->test) {
		win->vbuf = vmalloc_user(cfg->size);
		if (!win->vbuf) {
			ret = -ENOMEM;
			goto err_id;
		}
		/* User mappings must not find stale lines of another alias. */
		flush_kernel_vmap_range(win->vbuf, cfg->size);
		win->kick.method = VPE_KICK_NONE;
	} else {
		win->phys = cfg->phys;
		ret = vpe_arch_kick_init(&win->kick, &cfg->kick);
		if (ret) {
			pr_err("vpe_compat%d: cannot ring the remote as configured: %d\n",
			       win->id, ret);
			goto err_id;
		}
	}

	for (side = 0; side < VPE_SIDES; side++)
		vpe_node_init(win, side, cfg->dev);

	/* Before the nodes: an opener sees the doorbell as it will stay. */
	if (!cfg->test && cfg->irq >= 0) {
		ret = request_irq(cfg->irq, vpe_doorbell_irq,
				  cfg->irq_shared ? IRQF_SHARED : 0,
				  win->node[VPE_SIDE_LINUX].name, win);
		if (ret) {
			pr_err("cannot get interrupt %d: %d\n", cfg->irq, ret);
			goto err_kick;
		}
		win->irq = cfg->irq;
	}

	ret = vpe_node_register(&win->node[VPE_SIDE_LINUX]);
	if (ret)
		goto err_node;
	if (cfg->test) {
		ret = vpe_node_register(&win->node[VPE_SIDE_REMOTE]);
		if (ret)
			goto err_node;
	}

	if (cfg->test)
		pr_info("vpe_compat%d: test window of %llu KiB, remote side at /dev/%s\n",
			win->id, win->size >> 10,
			win->node[VPE_SIDE_REMOTE].name);
	else
		pr_info("vpe_compat%d: window %pa+%#llx, remote address %#llx, irq %d, kick %s\n",
			win->id, &win->phys, win->size, win->dev_base,
			win->irq,
			win->kick.method == VPE_KICK_MT ? "mt" :
			win->kick.method == VPE_KICK_GIC ? "gic" : "none");
	return win;

err_node:
	/* A file opened meanwhile keeps the window until it is closed. */
	vpe_window_shutdown(win);
	kref_put(&win->kref, vpe_window_release);
	return ERR_PTR(ret);
err_kick:
	vpe_arch_kick_exit(&win->kick);
err_id:
	ida_free(&vpe_ida, win->id);
	kref_put(&win->kref, vpe_window_release);
	return ERR_PTR(ret);
}

/**
 * vpe_window_destroy() - remove a window's device nodes and drop it
 * @win: the window
 *
 * Files still open on the window keep its memory; their reads and polls
 * report the removal, their kicks fail with ENODEV.
 */
void vpe_window_destroy(struct vpe_window *win)
{
	vpe_window_shutdown(win);
	kref_put(&win->kref, vpe_window_release);
}
