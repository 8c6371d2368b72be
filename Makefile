# memscope: top-level build, install, demo and tests.
#
#   make                 module (against KDIR, default: the running kernel) and tool
#   make demo            boot a stock Debian kernel in qemu, load the module, show memscopectl
#   make vm-shell        the same VM with a shell (KERNEL=6.1 or 6.12)
#   make lab LAB=NAME    boot the VM and run the lab docs/labs/NAME.sh (KERNEL=6.1 or 6.12)
#   make check           every test: unit, then in-VM on every supported kernel
#   make bench           benchmarks, as ratios against anchors measured in the same VM run
#   make install         module into /lib/modules/$(uname -r)/updates, tool into $(PREFIX)/sbin
#   make dkms-install    register, build and install the module with DKMS

VERSION := $(shell sed -n 's/^\#define MEMSCOPE_VERSION "\(.*\)"/\1/p' kmod/version.h)
KRELEASE ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KRELEASE)/build
KERNEL ?= 6.1
KERNELS ?= 6.1 6.12
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

bench: deps ctl
	tests/vm/run.sh --mode bench --kernel $(KERNEL) --mem 4G

install: ctl
	install -D -m 0755 ctl/memscopectl $(DESTDIR)$(PREFIX)/sbin/memscopectl
	install -D -m 0644 docs/memscopectl.8 $(DESTDIR)$(PREFIX)/share/man/man8/memscopectl.8
	install -D -m 0644 docs/memscope.4 $(DESTDIR)$(PREFIX)/share/man/man4/memscope.4
	install -D -m 0644 ctl/completion/memscopectl.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/memscopectl
	@if [ -f kmod/memscope.ko ]; then \
		install -D -m 0644 kmod/memscope.ko $(DESTDIR)/lib/modules/$(KRELEASE)/updates/memscope.ko; \
		[ -n "$(DESTDIR)" ] || depmod -a $(KRELEASE); \
	else echo "install: kmod/memscope.ko not built (make module KDIR=...): installing the tool only"; fi

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/sbin/memscopectl $(DESTDIR)/lib/modules/$(KRELEASE)/updates/memscope.ko
	rm -f $(DESTDIR)$(PREFIX)/share/man/man8/memscopectl.8 $(DESTDIR)$(PREFIX)/share/man/man4/memscope.4 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/memscopectl
	[ -n "$(DESTDIR)" ] || depmod -a $(KRELEASE)

dkms-install:
	rm -rf /usr/src/memscope-$(VERSION)
	mkdir -p /usr/src/memscope-$(VERSION)
	cp -r kmod/* dkms.conf /usr/src/memscope-$(VERSION)/
	dkms add memscope/$(VERSION)
	dkms build memscope/$(VERSION) -k $(KRELEASE)
	dkms install memscope/$(VERSION) -k $(KRELEASE)

dkms-remove:
	-dkms remove memscope/$(VERSION) --all
	rm -rf /usr/src/memscope-$(VERSION)

# Kernel style: compat.h is the one file allowed to test LINUX_VERSION_CODE.
CHECKPATCH ?= $(firstword $(wildcard /usr/src/linux-source-*/scripts/checkpatch.pl $(KDIR)/scripts/checkpatch.pl))
checkpatch:
	@[ -n "$(CHECKPATCH)" ] || { echo "checkpatch: no checkpatch.pl (apt install linux-source-6.1 and unpack it, or pass CHECKPATCH=)"; exit 1; }
	perl $(CHECKPATCH) --strict --no-tree --quiet -f $(filter-out kmod/compat.h kmod/%.mod.c,$(wildcard kmod/*.c kmod/*.h)) kmod/uapi/memscope.h
	perl $(CHECKPATCH) --strict --no-tree --quiet --ignore LINUX_VERSION_CODE -f kmod/compat.h

clean:
	$(MAKE) -C ctl clean
	rm -rf kmod/*.o kmod/*.ko kmod/*.mod* kmod/.*.cmd kmod/Module.symvers kmod/modules.order kmod/.tmp_versions
	$(MAKE) -C tests clean

.PHONY: all ctl module deps demo vm-shell lab check bench install uninstall dkms-install dkms-remove checkpatch clean
