/* The release: what `recipebox --version` prints, `make dist` names the
 * tarball after, and entity tags derived from stored versions include (a
 * new release may change a representation's format). */
#ifndef RB_LIB_VERSION_H
#define RB_LIB_VERSION_H

#define RB_VERSION "0.1.0"

#endif
