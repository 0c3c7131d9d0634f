import LinearAlgebra
import OspreyCLI

// OpenBLAS's kernels are chosen when it loads: start again with better ones if it fell back to
// generic ones on a CPU it does not know (LinearAlgebra's BLASKernels).
BLASKernels.relaunchWithBetterKernelsIfNeeded()
OspreyCommand.main()
