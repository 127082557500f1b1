/* SPDX-License-Identifier: MIT */
/*
 * "current": the calling thread's task context (credentials, network
 * namespace, descriptor table).
 *
 * One initial-exec TLS pointer reaches the context, so the creation path
 * pays a single TLS load for current_net()/current_files(). The context is
 * made on a thread's first call; a pthread key destructor drops its
 * namespace and table references when the thread exits. A fork child
 * does the same for the contexts of the threads it does not have.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/capability.h>
#include "kernel/fork.h"
#include <sockcore/task.h>
#include <sockcore/net_namespace.h>
#include <sockcore/fdtable.h>
#include <sockcore/slab.h>
#include "core/task_internal.h"

struct user_namespace {
	int unused;
};

struct user_namespace init_user_ns;

__thread struct task_struct *current_task
	__attribute__((tls_model("initial-exec")));
static pthread_key_t task_key;
static pthread_once_t task_key_once = PTHREAD_ONCE_INIT;

/*
 * Every context, so that a fork child finds those of the threads it does
 * not have. task_lock is innermost: nothing is taken while holding it
 * (the references are dropped after unlinking).
 */
static pthread_mutex_t task_lock = PTHREAD_MUTEX_INITIALIZER;
static CDS_LIST_HEAD(task_list);
static CDS_LIST_HEAD(task_orphans);	/* fork child: threads gone */

static void task_free(struct task_struct *t)
{
	if (t->net)
		put_net(t->net);
	if (t->files)
		files_put(t->files);	/* may close a private table */
	free(t);
}

static void task_exit(void *arg)
{
	struct task_struct *t = arg;

	pthread_mutex_lock(&task_lock);
	cds_list_del(&t->node);
	pthread_mutex_unlock(&task_lock);
	current_task = NULL;
	task_free(t);
}

static void task_fork_lock(void)
{
	pthread_mutex_lock(&task_lock);
}

static void task_fork_unlock(void)
{
	pthread_mutex_unlock(&task_lock);
}

/* The child has only the thread that forked: set the others' aside. */
static void task_fork_child(void)
{
	struct task_struct *t, *tmp;

	cds_list_for_each_entry_safe(t, tmp, &task_list, node)
		if (t != current_task)
			cds_list_move(&t->node, &task_orphans);
	pthread_mutex_unlock(&task_lock);
}

/* ... and let go of them once the locks their references need are free. */
static void task_fork_child_done(void)
{
	struct task_struct *t, *tmp;

	cds_list_for_each_entry_safe(t, tmp, &task_orphans, node) {
		cds_list_del(&t->node);
		task_free(t);
	}
}

FORK_HOOK_DONE(task_fork, FORK_RANK_TASK, task_fork_lock, task_fork_unlock,
	       task_fork_child, task_fork_child_done)

static void task_key_init(void)
{
	pthread_key_create(&task_key, task_exit);
}

/*
 * The context is plain malloc memory, not a slab object: it must outlive
 * the library's own shutdown for threads that keep running, and failslab
 * must not make "current" disappear. Without memory we cannot go on.
 */
struct task_struct *task_alloc(void)
{
	struct task_struct *t = calloc(1, sizeof(*t));

	if (!t)
		abort();
	pthread_once(&task_key_once, task_key_init);
	pthread_setspecific(task_key, t);
	pthread_mutex_lock(&task_lock);
	cds_list_add(&t->node, &task_list);
	pthread_mutex_unlock(&task_lock);
	current_task = t;
	return t;
}

/* ---- credentials ---------------------------------------------------- */

static int read_caps(uint64_t *eff)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];

	memset(data, 0, sizeof(data));
	if (syscall(SYS_capget, &hdr, data) < 0)
		return -errno;
	*eff = (uint64_t)data[1].effective << 32 | data[0].effective;
	return 0;
}

static int read_cred(struct cred *c)
{
	uid_t suid;
	gid_t sgid;
	int n;

	memset(c, 0, sizeof(*c));
	if (getresuid(&c->uid, &c->euid, &suid) < 0 ||
	    getresgid(&c->gid, &c->egid, &sgid) < 0)
		return -errno;
	n = getgroups(SOCKCORE_NGROUPS_MAX, c->groups);
	if (n < 0)
		return -errno;	/* EINVAL: more groups than we model */
	c->ngroups = n;
	return read_caps(&c->cap_effective);
}

const struct cred *__current_cred_slow(void)
{
	struct task_struct *t = current();

	if (!t->cred_valid && read_cred(&t->cred) == 0)
		t->cred_valid = true;
	return &t->cred;
}

void sockcore_cred_get(struct cred *out)
{
	*out = *current_cred();
}

void sockcore_cred_set(const struct cred *cred)
{
	struct task_struct *t = current();

	t->cred = *cred;
	if (t->cred.ngroups < 0)
		t->cred.ngroups = 0;
	if (t->cred.ngroups > SOCKCORE_NGROUPS_MAX)
		t->cred.ngroups = SOCKCORE_NGROUPS_MAX;
	t->cred_valid = true;
}

int sockcore_cred_refresh(void)
{
	struct task_struct *t = current();
	int err = read_cred(&t->cred);

	t->cred_valid = err == 0;
	return err;
}

bool capable(int cap)
{
	if (cap < 0 || cap > 63)
		return false;
	return (current_cred()->cap_effective >> cap) & 1;
}

bool ns_capable(struct user_namespace *ns, int cap)
{
	(void)ns;	/* one user namespace: see task.h */
	return capable(cap);
}

/* The kernel's ping_init_sock test: the egid or any supplementary group. */
bool in_group_range(gid_t low, gid_t high)
{
	const struct cred *c = current_cred();

	if (c->egid >= low && c->egid <= high)
		return true;
	for (int i = 0; i < c->ngroups; i++)
		if (c->groups[i] >= low && c->groups[i] <= high)
			return true;
	return false;
}

/* ---- namespace and descriptor table ----------------------------------- */

struct net *current_net(void)
{
	return __current_net();
}

void sockcore_switch_net(struct net *net)
{
	struct task_struct *t = current();
	struct net *old = t->net;

	t->net = (net && net != &init_net) ? get_net(net) : NULL;
	if (old)
		put_net(old);
}

struct files_struct *current_files(void)
{
	return __current_files();
}

void sockcore_switch_files(struct files_struct *files)
{
	struct task_struct *t = current();
	struct files_struct *old = t->files;

	t->files = (files && files != files_default()) ? files_get(files) : NULL;
	if (old)
		files_put(old);
}

/* Shutdown: the calling thread lets go of what it switched to. */
void task_shutdown(void)
{
	sockcore_switch_net(NULL);
	sockcore_switch_files(NULL);
}
