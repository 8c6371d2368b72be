# memscope: top-level build, install, demo and tests.
#
#   make                 module (against KDIR, default: the running kernel) and tool
#   make demo            boot a stock Debian kernel in qemu, load the module, show memscopectl
#   make vm-shell        the same VM with a shell (KERNEL=6.1 or 6.12)
#   make lab LAB=NAME    boot the VM and run the lab docs/labs/NAME.sh (KERNEL=6.1 or 6.12)
#   make check           every test: unit, then in-VM on every supported kernel
#   make bench           benchmarks, as ratios against anchors measured in the same VM run
#   make install         module into /lib/modules/$(uname -r)/updates, tool, man pages and
#                        completion under $(PREFIX) (DESTDIR honoured): see docs/install.md
#   make dkms-install    register, build and install the module with DKMS (KRELEASE=...)
#   make deb             Debian packages memscope-dkms and memscopectl

VERSION := $(shell sed -n 's/^\#define MEMSCOPE_VERSION "\(.*\)"/\1/p' kmod/version.h)
KRELEASE ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KRELEASE)/build
KERNEL ?= 6.1
KERNELS ?= 6.1 6.12 debug
PREFIX ?= /usr/local
DESTDIR ?=

all: ctl module

ctl:
	$(MAKE) -C ctl

module:
	@if [ -d "$(KDIR)" ]; then $(MAKE) -C kmod KDIR=$(KDIR); \
	else echo "module: no kernel headers at $(KDIR): install linux-headers-$(KRELEASE) or pass KDIR=..."; fi

deps:
	scripts/deps.sh

demo: deps ctl
	tests/vm/run.sh --mode demo --kernel $(KERNEL)

vm-shell: deps ctl
	tests/vm/run.sh --mode shell --kernel $(KERNEL)

LABS := $(filter-out lib,$(basename $(notdir $(wildcard docs/labs/*.sh))))
lab:
	@case " $(LABS) " in *" $(LAB) "*) ;; *) echo "make lab LAB=NAME: NAME is one of: $(LABS)"; exit 2 ;; esac
	$(MAKE) deps ctl
	tests/vm/run.sh --lab $(LAB) --kernel $(KERNEL)

check: deps
	tests/run-all.sh $(KERNELS)

# Then a 1-vCPU guest whose clock counts instructions, where the host's load
# cannot move a ratio: the tlb probe's goal figure comes from there
# (tests/vm/bench/tlb-probe.sh says why), and zones + buddy run again.
bench: deps ctl
	tests/vm/run.sh --mode bench --kernel $(KERNEL) --mem 4G
	tests/vm/run.sh --mode bench --kernel $(KERNEL) --cases "tlb-probe zones-buddy" --smp 1 \
		--icount shift=0,sleep=off --mem 4G --label $(KERNEL)-icount

# Installed files: docs/install.md lists them (tests/install.sh compares).
# Man pages and completion are installed when they exist in the tree.
SBINDIR := $(PREFIX)/sbin
MANDIR := $(PREFIX)/share/man
BASHCOMPDIR := $(PREFIX)/share/bash-completion/completions
MODDIR := /lib/modules/$(KRELEASE)/updates
MAN8 := $(wildcard docs/memscopectl.8)
MAN4 := $(wildcard docs/memscope.4)
BASHCOMP := $(wildcard ctl/completion/memscopectl.bash)

install: install-tool install-module

install-tool: ctl
	install -D -m 0755 ctl/memscopectl $(DESTDIR)$(SBINDIR)/memscopectl
	$(if $(MAN8),install -D -m 0644 $(MAN8) $(DESTDIR)$(MANDIR)/man8/memscopectl.8)
	$(if $(MAN4),install -D -m 0644 $(MAN4) $(DESTDIR)$(MANDIR)/man4/memscope.4)
	$(if $(BASHCOMP),install -D -m 0644 $(BASHCOMP) $(DESTDIR)$(BASHCOMPDIR)/memscopectl)

# The module is built against KDIR (the headers of KRELEASE) and must carry
# KRELEASE's vermagic.  depmod runs on the live system only: with DESTDIR a
# package's postinst (or `depmod -b DESTDIR KRELEASE`) does it.
install-module:
	@[ -d "$(KDIR)" ] || { echo "install: no kernel headers at $(KDIR): apt install linux-headers-$(KRELEASE), or pass KRELEASE= (or KDIR=)"; exit 1; }
	$(MAKE) -C kmod KDIR=$(KDIR)
	@v=$$(modinfo -F vermagic kmod/memscope.ko | cut -d' ' -f1); [ "$$v" = "$(KRELEASE)" ] || \
		{ echo "install: kmod/memscope.ko is for $$v, not $(KRELEASE): pass KDIR= for that kernel"; exit 1; }
	install -D -m 0644 kmod/memscope.ko $(DESTDIR)$(MODDIR)/memscope.ko
	$(if $(DESTDIR),,depmod -a $(KRELEASE))

uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/memscopectl $(DESTDIR)$(MANDIR)/man8/memscopectl.8 \
		$(DESTDIR)$(MANDIR)/man4/memscope.4 $(DESTDIR)$(BASHCOMPDIR)/memscopectl \
		$(DESTDIR)$(MODDIR)/memscope.ko
	$(if $(DESTDIR),,[ ! -d /lib/modules/$(KRELEASE) ] || depmod -a $(KRELEASE))

# DKMS: the module source (kmod/) and dkms.conf, with the version from
# kmod/version.h, go to /usr/src/memscope-VERSION; then dkms add (once) and
# build + install for KRELEASE (several: KRELEASE="6.1.0-56-amd64 6.12.57+deb12-amd64").
DKMS_SRC := /usr/src/memscope-$(VERSION)
dkms-src:
	rm -rf $(DKMS_SRC)
	mkdir -p $(DKMS_SRC)/uapi
	cp kmod/*.c kmod/*.h kmod/Kbuild kmod/Makefile $(DKMS_SRC)/
	cp kmod/uapi/*.h $(DKMS_SRC)/uapi/
	sed 's/#MODULE_VERSION#/$(VERSION)/' dkms.conf >$(DKMS_SRC)/dkms.conf

dkms-install: dkms-src
	dkms status -m memscope -v $(VERSION) | grep -q . || dkms add memscope/$(VERSION)
	for k in $(KRELEASE); do dkms install memscope/$(VERSION) -k $$k || exit 1; done

dkms-remove:
	-dkms remove memscope/$(VERSION) --all
	rm -rf $(DKMS_SRC)

# Debian packages memscope-dkms and memscopectl (debian/, debhelper) into
# .cache/deb/.  The package version must be kmod/version.h's.
deb:
	scripts/deb.sh

# Kernel style: compat.h is the one file allowed to test LINUX_VERSION_CODE.
# checkpatch.pl comes from Debian's linux-source-6.1 tarball (scripts/deps.sh
# installs it), unpacked once into .cache/checkpatch with the data files it reads.
CHECKPATCH ?= .cache/checkpatch/scripts/checkpatch.pl
CHECKPATCH_SRC := $(firstword $(wildcard /usr/src/linux-source-6.1.tar.*))
.cache/checkpatch/scripts/checkpatch.pl:
	@[ -n "$(CHECKPATCH_SRC)" ] || { echo "checkpatch: no /usr/src/linux-source-6.1.tar.*: run make deps (or pass CHECKPATCH=)"; exit 1; }
	mkdir -p .cache/checkpatch
	tar -C .cache/checkpatch --strip-components=1 -xf $(CHECKPATCH_SRC) --wildcards \
		'*/scripts/checkpatch.pl' '*/scripts/spelling.txt' '*/scripts/const_structs.checkpatch'
	touch $@
checkpatch: $(CHECKPATCH)
	perl $(CHECKPATCH) --strict --no-tree --quiet -f $(filter-out kmod/compat.h kmod/%.mod.c,$(wildcard kmod/*.c kmod/*.h)) kmod/uapi/memscope.h
	perl $(CHECKPATCH) --strict --no-tree --quiet --ignore LINUX_VERSION_CODE -f kmod/compat.h

clean:
	$(MAKE) -C ctl clean
	rm -rf kmod/*.o kmod/*.ko kmod/*.mod* kmod/.*.cmd kmod/Module.symvers kmod/modules.order kmod/.tmp_versions
	$(MAKE) -C tests clean

.PHONY: all ctl module deps demo vm-shell lab check bench install install-tool install-module uninstall dkms-src dkms-install dkms-remove deb checkpatch clean
