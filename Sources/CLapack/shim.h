// LAPACKE and CBLAS from Debian's liblapacke-dev and libopenblas-dev.
#include <lapacke.h>
#include <cblas.h>
// OpenBLAS thread control (declared by OpenBLAS's cblas.h; repeated for clarity).
void openblas_set_num_threads(int num_threads);
// The name of the kernel set OpenBLAS chose when it loaded (a DYNAMIC_ARCH build picks one per CPU).
char* openblas_get_corename(void);
