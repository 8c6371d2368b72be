// SPDX-License-Identifier: GPL-2.0
/*
 * Subject "task": one process's page-table tree (tables per level, how their
 * entries are used, which page sizes map it) and its VMAs.
 *
 * walk_page_range() is not exported, so the levels are walked here, in VMA
 * order, with mmap_lock held for read: upper levels cannot be freed under it.
 * PTE tables can (khugepaged retracts them since 6.5, freeing them after an
 * RCU grace period), so each PTE table is read under rcu_read_lock() from a
 * pmd value read once and checked, the way __pte_offset_map() does (it is
 * not exported either), without the PTE lock: entries are only read.  The
 * lock is dropped with a reschedule point after every MS_TASK_CHUNK entries
 * read (VMAs, PUD, PMD and PTE entries; checked at PUD and PMD entries, so a
 * hold reads at most MS_TASK_CHUNK + PTRS_PER_PTE), and the walk resumes at
 * the next address in whatever VMA holds it then.  A table shared by
 * neighbouring VMAs is counted once: the walk remembers the last table seen
 * at each level.
 */
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/hugetlb.h>
#include <linux/magic.h>
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/pgtable.h>
#include <linux/pid.h>
#include <linux/sched/coredump.h>
#include <linux/sched/clock.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/swapops.h>
#include <net/sock.h>

#include "memscope.h"

#define MS_TASK_CHUNK		16384	/* entries read per mmap_lock hold */
#define MS_TASK_MAX_VMAS	65536

enum { MS_PT_PGD, MS_PT_P4D, MS_PT_PUD, MS_PT_PMD, MS_PT_PTE, MS_PT_LEVELS };

/*
 * Resident pages by sharing, as /proc/PID/smaps counts them (bytes; pss and
 * pss_locked in bytes << MS_PSS_SHIFT, smaps' fixed point).
 */
#define MS_PSS_SHIFT	12

struct ms_share {
	u64 shared_clean, shared_dirty, private_clean, private_dirty;
	u64 pss, pss_locked;
};

struct ms_vma_rec {
	u64 start, end;
	u32 flags;
	char name[80];
	u64 present, swap, huge_pmd, huge_pud, pt_pte;
	struct ms_share share;
};

struct ms_run {
	unsigned long pfn, len, end;
};

struct ms_task_rec {
	pid_t pid;
	char comm[TASK_COMM_LEN];
	u64 pt[MS_PT_LEVELS];
	u64 deposited;
	u64 present, swap, migration, none, huge_pmd, huge_pud;
	u64 young, dirty, writable;
	u64 res_anon, res_file, res_shmem, res_hugetlb;
	u64 contig;
	struct ms_share share;
	u32 nr_vmas;
	u64 walk_ns, hold_max_ns, held_since;
	u32 holds;
	long budget;		/* entries left in this mmap_lock hold */
	struct ms_impact im;
	int nr_vma_recs, max_vma_recs;
	struct ms_vma_rec *vmas;	/* with MEMSCOPE_TASK_A_VMAS */
	bool admin;
	/* walk state */
	struct ms_share cur;		/* of the VMA being walked */
	bool cur_locked, share_on;	/* share_on: not hugetlb (smaps counts those apart) */
	void *last[MS_PT_LEVELS];
	struct ms_run run;
	unsigned long early_section;	/* see ms_task_pfn_valid() */
};

/* A run of physically contiguous 4 KiB pages at contiguous addresses. */
static void ms_run_end(struct ms_run *r, u64 *contig)
{
	if (r->len >= PTRS_PER_PTE)
		*contig += r->len;
	r->len = 0;
}

static void ms_run_add(struct ms_run *r, u64 *contig, unsigned long addr, unsigned long pfn)
{
	if (r->len && addr == r->end && pfn == r->pfn + r->len) {
		r->len++;
	} else {
		ms_run_end(r, contig);
		r->pfn = pfn;
		r->len = 1;
	}
	r->end = addr + PAGE_SIZE;
}

static void ms_contig_end(struct ms_task_rec *t)
{
	ms_run_end(&t->run, &t->contig);
}

static bool ms_new_table(struct ms_task_rec *t, int level, void *table)
{
	if (t->last[level] == table)
		return false;
	t->last[level] = table;
	t->pt[level]++;
	return true;
}

/* smaps_page_accumulate(): one page, or a whole folio mapped once. */
static void ms_share_add(struct ms_task_rec *t, u64 size, u64 pss, bool dirty, bool private)
{
	struct ms_share *s = &t->cur;

	s->pss += pss;
	if (t->cur_locked)
		s->pss_locked += pss;
	if (dirty)
		*(private ? &s->private_dirty : &s->shared_dirty) += size;
	else
		*(private ? &s->private_clean : &s->shared_clean) += size;
}

/*
 * fs/proc/task_mmu.c smaps_account(): a folio referenced once is private as a
 * whole; otherwise each page is shared when two or more mappings map it.  The
 * counts are read without the page-table lock smaps holds: a snapshot, exact
 * for a quiet process.  @nr pages of the folio from @page are mapped here.
 */
static void ms_share_account(struct ms_task_rec *t, struct page *page, int nr, bool dirty,
			     bool present)
{
	struct folio *folio = page_folio(page);
	u64 size = (u64)nr << PAGE_SHIFT;
	int i;

	dirty = dirty || folio_test_dirty(folio);
	if (folio_ref_count(folio) == 1 || !present) {
		ms_share_add(t, size, size << MS_PSS_SHIFT, dirty, true);
		return;
	}
	for (i = 0; i < nr; i++, page++) {
		int mapcount = ms_page_mapcount(folio, page);
		u64 pss = PAGE_SIZE << MS_PSS_SHIFT;

		if (mapcount >= 2)
			pss /= mapcount;
		ms_share_add(t, PAGE_SIZE, pss, dirty, mapcount < 2);
	}
}

/*
 * pfn_valid() costs a section lookup and an RCU-sched section per call; a
 * boot-time ("early") section has a memmap for all of its pfns, so the last
 * one seen answers for the PTEs that follow (anonymous memory is mostly
 * allocated in runs).  Forgotten at every mmap_lock hold.
 */
static bool ms_task_pfn_valid(struct ms_task_rec *t, unsigned long pfn)
{
	if (pfn_to_section_nr(pfn) == t->early_section)
		return true;
	if (!pfn_valid(pfn))
		return false;
	if (early_section(__pfn_to_section(pfn)))
		t->early_section = pfn_to_section_nr(pfn);
	return true;
}

/* vm_normal_page() (not exported) for x86, which marks special PTEs: zero page, pfnmap. */
static struct page *ms_normal_page(struct ms_task_rec *t, pte_t pte)
{
	unsigned long pfn = pte_pfn(pte);

	if (pte_special(pte) || is_zero_pfn(pfn) || !ms_task_pfn_valid(t, pfn))
		return NULL;
	return pfn_to_page(pfn);
}

static void ms_share_merge(struct ms_share *to, const struct ms_share *s)
{
	to->shared_clean += s->shared_clean;
	to->shared_dirty += s->shared_dirty;
	to->private_clean += s->private_clean;
	to->private_dirty += s->private_dirty;
	to->pss += s->pss;
	to->pss_locked += s->pss_locked;
}

static void ms_count_swap_pte(struct ms_task_rec *t, struct ms_vma_rec *v, pte_t pte)
{
	swp_entry_t e = pte_to_swp_entry(pte);
	unsigned long pfn;

	if (is_migration_entry(e)) {
		t->migration++;
		/*
		 * smaps counts the page as private; pfn_swap_entry_to_page()
		 * would BUG on a page whose migration ended meanwhile.
		 */
		pfn = swp_offset_pfn(e);
		if (t->share_on && pfn_valid(pfn))
			ms_share_account(t, pfn_to_page(pfn), 1, false, false);
	} else if (!non_swap_entry(e)) {
		t->swap++;
		if (v)
			v->swap++;
	}
}

/*
 * One PTE table's counts, in locals: this loop runs once per mapped 4 KiB
 * page, and counters kept in the records would be loaded and stored for
 * every entry.  The common page, a folio referenced once (private), is
 * counted here; shared ones go through ms_share_account().
 */
struct ms_pte_counts {
	unsigned int none, present, young, dirty, writable;
	unsigned int private_clean, private_dirty;	/* pages */
};

static void ms_pte_counts_add(struct ms_task_rec *t, struct ms_vma_rec *v,
			      const struct ms_pte_counts *c)
{
	u64 clean = (u64)c->private_clean << PAGE_SHIFT;
	u64 dirty = (u64)c->private_dirty << PAGE_SHIFT;

	t->none += c->none;
	t->present += c->present;
	t->young += c->young;
	t->dirty += c->dirty;
	t->writable += c->writable;
	if (v)
		v->present += c->present;
	ms_share_add(t, clean, clean << MS_PSS_SHIFT, false, true);
	ms_share_add(t, dirty, dirty << MS_PSS_SHIFT, true, true);
}

static void ms_walk_ptes(struct ms_task_rec *t, struct ms_vma_rec *v, pmd_t *pmdp,
			 unsigned long addr, unsigned long end)
{
	struct ms_pte_counts c = {};
	bool admin = t->admin, share = t->share_on;
	struct ms_run run = t->run;
	struct folio *folio;
	struct page *page;
	pmd_t pmd;
	pte_t *ptep;

	rcu_read_lock();
	pmd = READ_ONCE(*pmdp);
	if (pmd_none(pmd) || !pmd_present(pmd) || pmd_leaf(pmd) || pmd_bad(pmd)) {
		rcu_read_unlock();
		return;
	}
	ptep = pte_offset_kernel(&pmd, addr);
	if (ms_new_table(t, MS_PT_PTE, (void *)pmd_page_vaddr(pmd)) || v) {
		if (v)
			v->pt_pte++;
	}
	t->budget -= (end - addr) >> PAGE_SHIFT;
	for (; addr < end; addr += PAGE_SIZE, ptep++) {
		pte_t pte = ptep_get(ptep);

		if (pte_none(pte)) {
			c.none++;
			continue;
		}
		if (!pte_present(pte)) {
			ms_count_swap_pte(t, v, pte);
			continue;
		}
		c.present++;
		c.young += !!pte_young(pte);
		c.dirty += !!pte_dirty(pte);
		c.writable += !!pte_write(pte);
		if (admin)
			ms_run_add(&run, &t->contig, addr, pte_pfn(pte));
		page = share ? ms_normal_page(t, pte) : NULL;
		if (!page)
			continue;
		folio = page_folio(page);
		if (folio_ref_count(folio) != 1) {
			ms_share_account(t, page, 1, pte_dirty(pte), true);
			continue;
		}
		if (pte_dirty(pte) || folio_test_dirty(folio))
			c.private_dirty++;
		else
			c.private_clean++;
	}
	rcu_read_unlock();
	t->run = run;
	ms_pte_counts_add(t, v, &c);
}

static void ms_count_leaf(struct ms_task_rec *t, bool young, bool dirty, bool write)
{
	t->young += young;
	t->dirty += dirty;
	t->writable += write;
	ms_contig_end(t);
}

/*
 * A THP mapped by a PMD, as smaps counts it; not the huge zero page (smaps
 * skips it: its folio is not anonymous in an anonymous VMA) nor device memory.
 */
static void ms_share_pmd(struct ms_task_rec *t, struct vm_area_struct *vma, pmd_t pmd)
{
	unsigned long pfn = pmd_pfn(pmd);
	struct page *page;

	if (!t->share_on || pmd_devmap(pmd) || !pfn_valid(pfn))
		return;
	page = pfn_to_page(pfn);
	if (vma_is_anonymous(vma) && !PageAnon(page))
		return;
	ms_share_account(t, page, PMD_SIZE >> PAGE_SHIFT, pmd_dirty(pmd), true);
}

/* The walkers below return where they stopped: @end, or earlier when the budget ran out. */
static unsigned long ms_walk_pmds(struct ms_task_rec *t, struct ms_vma_rec *v,
				  struct vm_area_struct *vma, pud_t *pudp,
				  unsigned long addr, unsigned long end)
{
	pud_t pud = READ_ONCE(*pudp);
	unsigned long next;
	pmd_t *pmdp;

	ms_new_table(t, MS_PT_PMD, (void *)pud_pgtable(pud));
	pmdp = pmd_offset(&pud, addr);
	for (; addr < end; addr = next, pmdp++) {
		pmd_t pmd;

		if (t->budget <= 0)
			return addr;
		t->budget--;
		pmd = READ_ONCE(*pmdp);
		next = pmd_addr_end(addr, end);
		if (pmd_none(pmd))
			continue;
		if (!pmd_present(pmd)) {	/* a THP under migration */
			t->migration++;
			continue;
		}
		if (pmd_leaf(pmd)) {
			t->huge_pmd++;
			if (v)
				v->huge_pmd++;
			ms_count_leaf(t, pmd_young(pmd), pmd_dirty(pmd), pmd_write(pmd));
			if (vma_is_anonymous(vma) && !is_vm_hugetlb_page(vma))
				t->deposited++;
			ms_share_pmd(t, vma, pmd);
			continue;
		}
		ms_walk_ptes(t, v, pmdp, addr, next);
	}
	return end;
}

static unsigned long ms_walk_range(struct ms_task_rec *t, struct ms_vma_rec *v,
				   struct vm_area_struct *vma, unsigned long addr,
				   unsigned long end)
{
	unsigned long next, pnext, stop;
	pgd_t *pgd = pgd_offset(vma->vm_mm, addr);

	for (; addr < end; addr = next, pgd++) {
		p4d_t *p4d;

		next = pgd_addr_end(addr, end);
		if (pgd_none(READ_ONCE(*pgd)) || pgd_bad(READ_ONCE(*pgd)))
			continue;
		if (pgtable_l5_enabled())
			ms_new_table(t, MS_PT_P4D, (void *)pgd_page_vaddr(*pgd));
		p4d = p4d_offset(pgd, addr);
		for (; addr < next; addr = pnext, p4d++) {
			unsigned long unext;
			pud_t *pud;

			pnext = p4d_addr_end(addr, next);
			if (p4d_none(READ_ONCE(*p4d)) || p4d_bad(READ_ONCE(*p4d)))
				continue;
			ms_new_table(t, MS_PT_PUD, (void *)p4d_pgtable(*p4d));
			pud = pud_offset(p4d, addr);
			for (; addr < pnext; addr = unext, pud++) {
				pud_t pv = READ_ONCE(*pud);

				unext = pud_addr_end(addr, pnext);
				if (t->budget <= 0)
					return addr;
				t->budget--;
				if (pud_none(pv))
					continue;
				if (pud_leaf(pv)) {
					t->huge_pud++;
					if (v)
						v->huge_pud++;
					ms_count_leaf(t, pud_young(pv), pud_dirty(pv),
						      pud_write(pv));
					continue;
				}
				if (pud_bad(pv))
					continue;
				stop = ms_walk_pmds(t, v, vma, pud, addr, unext);
				if (stop < unext)
					return stop;
			}
		}
	}
	return end;
}

static bool ms_vma_is_shmem(struct vm_area_struct *vma)
{
	return vma->vm_file && file_inode(vma->vm_file)->i_sb->s_magic == TMPFS_MAGIC;
}

static void ms_vma_name(struct vm_area_struct *vma, char *buf, size_t len)
{
	struct mm_struct *mm = vma->vm_mm;
	char *p;

	buf[0] = '\0';
	if (vma->vm_file) {
		p = d_path(&vma->vm_file->f_path, buf, len);
		if (IS_ERR(p))
			strscpy(buf, "?", len);
		else
			memmove(buf, p, strlen(p) + 1);
	} else if (vma->vm_ops && vma->vm_ops->name) {
		strscpy(buf, vma->vm_ops->name(vma) ?: "", len);
	} else if (vma->vm_start <= mm->brk && vma->vm_end >= mm->start_brk) {
		strscpy(buf, "[heap]", len);
	} else if (vma->vm_start <= mm->start_stack && vma->vm_end >= mm->start_stack) {
		strscpy(buf, "[stack]", len);
	}
}

static u32 ms_vma_flags(struct vm_area_struct *vma)
{
	return (vma->vm_flags & VM_READ ? MEMSCOPE_VMA_READ : 0) |
	       (vma->vm_flags & VM_WRITE ? MEMSCOPE_VMA_WRITE : 0) |
	       (vma->vm_flags & VM_EXEC ? MEMSCOPE_VMA_EXEC : 0) |
	       (vma->vm_flags & VM_SHARED ? MEMSCOPE_VMA_SHARED : 0) |
	       (vma->vm_flags & VM_LOCKED ? MEMSCOPE_VMA_LOCKED : 0) |
	       (is_vm_hugetlb_page(vma) ? MEMSCOPE_VMA_HUGETLB : 0);
}

/* Resident memory walked so far, in 4 KiB pages. */
static u64 ms_task_resident(const struct ms_task_rec *t)
{
	return t->present + (t->huge_pmd << (PMD_SHIFT - PAGE_SHIFT)) +
	       (t->huge_pud << (PUD_SHIFT - PAGE_SHIFT));
}

/* Resident 4 KiB units of what was just walked, by the VMA's kind. */
static void ms_account_resident(struct ms_task_rec *t, struct vm_area_struct *vma, u64 pages)
{
	if (is_vm_hugetlb_page(vma))
		t->res_hugetlb += pages;
	else if (ms_vma_is_shmem(vma))
		t->res_shmem += pages;
	else if (vma->vm_file)
		t->res_file += pages;
	else
		t->res_anon += pages;
}

static int ms_task_lock(struct ms_task_rec *t, struct mm_struct *mm)
{
	if (mmap_read_lock_killable(mm))
		return -EINTR;
	t->held_since = local_clock();
	t->budget = MS_TASK_CHUNK;
	t->early_section = ULONG_MAX;
	t->holds++;
	return 0;
}

static void ms_task_unlock(struct ms_task_rec *t, struct mm_struct *mm)
{
	t->hold_max_ns = max(t->hold_max_ns, local_clock() - t->held_since);
	mmap_read_unlock(mm);
}

static int ms_task_walk(struct ms_task_rec *t, struct mm_struct *mm, unsigned long start,
			unsigned long end, const void *want_vmas)
{
	unsigned long addr = start;
	struct ms_vma_rec *v = NULL;
	struct vm_area_struct *vma;
	bool inside = false;	/* the last piece stopped inside its VMA, at addr */
	u64 t0 = local_clock();

	t->pt[MS_PT_PGD] = 1;
	if (ms_task_lock(t, mm))
		return -EINTR;
	while (addr < end && (vma = find_vma(mm, addr)) && vma->vm_start < end) {
		unsigned long lo = max(addr, vma->vm_start), hi = min(end, vma->vm_end);
		u64 before = ms_task_resident(t);

		/* After a yield, the VMA holding addr continues the one before it. */
		if (!inside || vma->vm_start > addr) {
			t->nr_vmas++;
			v = NULL;
			/* VMAs added while mmap_lock was dropped: counted, not listed. */
			if (want_vmas && t->nr_vma_recs < t->max_vma_recs) {
				v = &t->vmas[t->nr_vma_recs++];
				v->start = vma->vm_start;
				v->end = vma->vm_end;
				v->flags = ms_vma_flags(vma);
				ms_vma_name(vma, v->name, sizeof(v->name));
			}
			t->budget--;
		}
		memset(&t->cur, 0, sizeof(t->cur));
		t->cur_locked = vma->vm_flags & VM_LOCKED;
		t->share_on = !is_vm_hugetlb_page(vma);
		addr = ms_walk_range(t, v, vma, lo, hi);
		ms_account_resident(t, vma, ms_task_resident(t) - before);
		ms_share_merge(&t->share, &t->cur);
		if (v)
			ms_share_merge(&v->share, &t->cur);
		inside = addr < hi;
		if (t->budget <= 0) {
			ms_task_unlock(t, mm);
			ms_impact_resched(&t->im);
			if (ms_task_lock(t, mm))
				return -EINTR;
		}
	}
	ms_task_unlock(t, mm);
	ms_contig_end(t);
	t->walk_ns = local_clock() - t0;
	return 0;
}

/*
 * The /proc/PID/smaps rule (ptrace_may_access(), PTRACE_MODE_READ_FSCREDS)
 * is not exported: the same outcome for ordinary processes, decided on the
 * requesting socket's credentials: CAP_SYS_PTRACE, or the same user as the
 * task (real, effective and saved ids) and a dumpable address space.
 */
static bool ms_task_may_read(const struct sk_buff *skb, struct task_struct *task,
			     struct mm_struct *mm)
{
	const struct cred *opener, *tcred;
	struct socket *sock = NETLINK_CB(skb).sk->sk_socket;
	bool ok;

	if (netlink_capable(skb, CAP_SYS_PTRACE))
		return true;
	if (!sock || !sock->file)
		return false;
	opener = sock->file->f_cred;
	rcu_read_lock();
	tcred = __task_cred(task);
	ok = uid_eq(opener->fsuid, tcred->euid) && uid_eq(opener->fsuid, tcred->suid) &&
	     uid_eq(opener->fsuid, tcred->uid) && gid_eq(opener->fsgid, tcred->egid) &&
	     gid_eq(opener->fsgid, tcred->sgid) && gid_eq(opener->fsgid, tcred->gid);
	rcu_read_unlock();
	return ok && get_dumpable(mm) == SUID_DUMP_USER;
}

static int ms_task_collect(struct netlink_callback *cb, struct ms_task_rec *t)
{
	struct nlattr **attrs = ms_dump_attrs(cb);
	unsigned long start = 0, end = TASK_SIZE_MAX;
	struct task_struct *task;
	struct mm_struct *mm;
	struct pid *pid;
	int err;

	if (!attrs[MEMSCOPE_TASK_A_PID]) {
		NL_SET_ERR_MSG(cb->extack, "a pid is required");
		return -EINVAL;
	}
	if (attrs[MEMSCOPE_TASK_A_START])
		start = nla_get_u64(attrs[MEMSCOPE_TASK_A_START]);
	if (attrs[MEMSCOPE_TASK_A_END])
		end = min_t(u64, nla_get_u64(attrs[MEMSCOPE_TASK_A_END]), TASK_SIZE_MAX);
	if (end <= start) {
		NL_SET_ERR_MSG(cb->extack, "the address range is empty or reversed");
		return -EINVAL;
	}
	t->pid = nla_get_u32(attrs[MEMSCOPE_TASK_A_PID]);
	pid = find_get_pid(t->pid);
	task = pid ? get_pid_task(pid, PIDTYPE_PID) : NULL;
	put_pid(pid);
	if (!task) {
		NL_SET_ERR_MSG_ATTR(cb->extack, attrs[MEMSCOPE_TASK_A_PID], "no such process");
		return -ESRCH;
	}
	get_task_comm(t->comm, task);
	mm = get_task_mm(task);
	if (!mm) {
		put_task_struct(task);
		NL_SET_ERR_MSG_ATTR(cb->extack, attrs[MEMSCOPE_TASK_A_PID],
				    "a kernel thread (or an exiting process): no user address space");
		return -EINVAL;
	}
	if (!ms_task_may_read(cb->skb, task, mm)) {
		put_task_struct(task);
		mmput(mm);
		NL_SET_ERR_MSG(cb->extack,
			       "not permitted to read this process (as for /proc/PID/smaps)");
		return -EACCES;
	}
	put_task_struct(task);
	t->admin = ms_nl_admin(cb->skb);
	if (attrs[MEMSCOPE_TASK_A_VMAS]) {
		t->max_vma_recs = min_t(int, READ_ONCE(mm->map_count) + 16, MS_TASK_MAX_VMAS);
		t->vmas = kvcalloc(t->max_vma_recs, sizeof(*t->vmas), GFP_KERNEL);
		if (!t->vmas) {
			mmput(mm);
			return -ENOMEM;
		}
	}
	err = ms_task_walk(t, mm, start, end, t->vmas);
	mmput(mm);
	return err;
}

#define MS_PUT_U64(skb, attr, v) nla_put_u64_64bit(skb, attr, v, MEMSCOPE_TASK_A_PAD)
#define MS_PUT_SHARE(skb, attr, v) nla_put_u64_64bit(skb, attr, v, MEMSCOPE_SHARE_A_PAD)

static int ms_task_put_share(struct sk_buff *skb, int attr, const struct ms_share *s)
{
	struct nlattr *nest = nla_nest_start(skb, attr);

	if (!nest ||
	    MS_PUT_SHARE(skb, MEMSCOPE_SHARE_A_SHARED_CLEAN, s->shared_clean) ||
	    MS_PUT_SHARE(skb, MEMSCOPE_SHARE_A_SHARED_DIRTY, s->shared_dirty) ||
	    MS_PUT_SHARE(skb, MEMSCOPE_SHARE_A_PRIVATE_CLEAN, s->private_clean) ||
	    MS_PUT_SHARE(skb, MEMSCOPE_SHARE_A_PRIVATE_DIRTY, s->private_dirty) ||
	    MS_PUT_SHARE(skb, MEMSCOPE_SHARE_A_PSS, s->pss >> MS_PSS_SHIFT) ||
	    MS_PUT_SHARE(skb, MEMSCOPE_SHARE_A_LOCKED, s->pss_locked >> MS_PSS_SHIFT))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int ms_task_put_summary(struct sk_buff *skb, struct ms_task_rec *t)
{
	if (nla_put_u32(skb, MEMSCOPE_TASK_A_PID, t->pid) ||
	    nla_put_string(skb, MEMSCOPE_TASK_A_COMM, t->comm) ||
	    ms_nl_put_u64_array(skb, MEMSCOPE_TASK_A_PT_PAGES, t->pt, MS_PT_LEVELS) ||
	    nla_put_u32(skb, MEMSCOPE_TASK_A_LEVELS, pgtable_l5_enabled() ? 5 : 4) ||
	    MS_PUT_U64(skb, MEMSCOPE_TASK_A_PT_DEPOSITED, t->deposited) ||
	    MS_PUT_U64(skb, MEMSCOPE_TASK_A_PRESENT, t->present) ||
	    MS_PUT_U64(skb, MEMSCOPE_TASK_A_SWAP, t->swap) ||
	    MS_PUT_U64(skb, MEMSCOPE_TASK_A_MIGRATION, t->migration) ||
	    MS_PUT_U64(skb, MEMSCOPE_TASK_A_NONE, t->none) ||
	    MS_PUT_U64(skb, MEMSCOPE_TASK_A_HUGE_PMD, t->huge_pmd) ||
	    MS_PUT_U64(skb, MEMSCOPE_TASK_A_HUGE_PUD, t->huge_pud) ||
	    MS_PUT_U64(skb, MEMSCOPE_TASK_A_YOUNG, t->young) ||
	    MS_PUT_U64(skb, MEMSCOPE_TASK_A_DIRTY, t->dirty) ||
	    MS_PUT_U64(skb, MEMSCOPE_TASK_A_WRITABLE, t->writable) ||
	    MS_PUT_U64(skb, MEMSCOPE_TASK_A_RES_ANON, t->res_anon) ||
	    MS_PUT_U64(skb, MEMSCOPE_TASK_A_RES_FILE, t->res_file) ||
	    MS_PUT_U64(skb, MEMSCOPE_TASK_A_RES_SHMEM, t->res_shmem) ||
	    MS_PUT_U64(skb, MEMSCOPE_TASK_A_RES_HUGETLB, t->res_hugetlb) ||
	    (t->admin && MS_PUT_U64(skb, MEMSCOPE_TASK_A_CONTIG, t->contig)) ||
	    nla_put_u32(skb, MEMSCOPE_TASK_A_NR_VMAS, t->nr_vmas) ||
	    MS_PUT_U64(skb, MEMSCOPE_TASK_A_WALK_NS, t->walk_ns) ||
	    MS_PUT_U64(skb, MEMSCOPE_TASK_A_LOCK_HOLD_MAX_NS, t->hold_max_ns) ||
	    ms_task_put_share(skb, MEMSCOPE_TASK_A_SHARE, &t->share) ||
	    nla_put_u32(skb, MEMSCOPE_TASK_A_LOCK_HOLDS, t->holds) ||
	    ms_impact_put(skb, &t->im, MEMSCOPE_TASK_A_IRQOFF_MAX_NS,
			  MEMSCOPE_TASK_A_RESCHED_MAX_NS, MEMSCOPE_TASK_A_PAD))
		return -EMSGSIZE;
	return 0;
}

static int ms_task_put_vma(struct sk_buff *skb, const struct ms_vma_rec *v)
{
	struct nlattr *nest = nla_nest_start(skb, MEMSCOPE_TASK_A_VMA);

	if (!nest ||
	    nla_put_u64_64bit(skb, MEMSCOPE_VMA_A_START, v->start, MEMSCOPE_VMA_A_PAD) ||
	    nla_put_u64_64bit(skb, MEMSCOPE_VMA_A_END, v->end, MEMSCOPE_VMA_A_PAD) ||
	    nla_put_u32(skb, MEMSCOPE_VMA_A_FLAGS, v->flags) ||
	    nla_put_string(skb, MEMSCOPE_VMA_A_NAME, v->name) ||
	    nla_put_u64_64bit(skb, MEMSCOPE_VMA_A_PRESENT, v->present, MEMSCOPE_VMA_A_PAD) ||
	    nla_put_u64_64bit(skb, MEMSCOPE_VMA_A_SWAP, v->swap, MEMSCOPE_VMA_A_PAD) ||
	    nla_put_u64_64bit(skb, MEMSCOPE_VMA_A_HUGE_PMD, v->huge_pmd, MEMSCOPE_VMA_A_PAD) ||
	    nla_put_u64_64bit(skb, MEMSCOPE_VMA_A_HUGE_PUD, v->huge_pud, MEMSCOPE_VMA_A_PAD) ||
	    nla_put_u64_64bit(skb, MEMSCOPE_VMA_A_PT_PTE_PAGES, v->pt_pte, MEMSCOPE_VMA_A_PAD) ||
	    ms_task_put_share(skb, MEMSCOPE_VMA_A_SHARE, &v->share))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/*
 * The whole walk happens in the first dumpit call (the task and mm
 * references and mmap_lock are taken and dropped inside it); later calls
 * only send what it recorded.  cb->args: [0] the record, [1] messages sent.
 */
int ms_task_nl_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct ms_task_rec *t = (struct ms_task_rec *)cb->args[0];
	long i = cb->args[1];
	void *hdr;
	int err;

	if (!t) {
		t = kzalloc(sizeof(*t), GFP_KERNEL);
		if (!t)
			return -ENOMEM;
		cb->args[0] = (long)t;
		ms_impact_begin(&t->im);
		err = ms_task_collect(cb, t);
		if (err)
			return err;
	}
	for (; i <= t->nr_vma_recs; i++) {
		hdr = ms_nl_dump_put(skb, cb, MEMSCOPE_CMD_GET_TASK);
		if (!hdr)
			break;
		err = i ? ms_task_put_vma(skb, &t->vmas[i - 1]) : ms_task_put_summary(skb, t);
		if (err || (i && nla_put_u32(skb, MEMSCOPE_TASK_A_PID, t->pid))) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		cb->args[1] = i + 1;
	}
	return ms_nl_dump_end(skb, i <= t->nr_vma_recs ? t : NULL);
}

int ms_task_nl_done(struct netlink_callback *cb)
{
	struct ms_task_rec *t = (struct ms_task_rec *)cb->args[0];

	if (t) {
		kvfree(t->vmas);
		kfree(t);
	}
	return 0;
}
