// LAPACKE and CBLAS from Debian's liblapacke-dev and libopenblas-dev.
#include <lapacke.h>
#include <cblas.h>
// OpenBLAS thread control (declared by OpenBLAS's cblas.h; repeated for clarity).
void openblas_set_num_threads(int num_threads);
