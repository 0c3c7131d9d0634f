// SuiteSparse AMD (fill-reducing ordering) and LDL (sparse LDL^T), Debian libsuitesparse-dev.
#include <suitesparse/amd.h>
#include <suitesparse/ldl.h>
