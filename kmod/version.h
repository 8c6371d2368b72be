/* SPDX-License-Identifier: GPL-2.0 */
/* The one place memscope's version is set: module, tool, dkms and packages read it. */
#ifndef MEMSCOPE_VERSION_H
#define MEMSCOPE_VERSION_H

#define MEMSCOPE_VERSION "0.1.0"

#endif
