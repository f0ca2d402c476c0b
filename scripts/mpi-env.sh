# Sourced by the scripts: how Open MPI must be told to run here. As root it refuses without the two
# ALLOW variables; with more ranks than cores it needs oversubscription; and without execute_quiet,
# mpirun adds a multi-line notice under ledger's one-line error whenever the exit code is not 0.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_rmaps_base_oversubscribe=1
export OMPI_MCA_orte_execute_quiet=1
# Containers often lack the ptrace permission that single-copy shared memory wants.
export OMPI_MCA_btl_vader_single_copy_mechanism=none
# hwloc's OpenGL plugin probes X displays at every start; a batch job has none.
export HWLOC_COMPONENTS=-gl
# On one machine the ranks talk through shared memory (the ob1 PML over the vader BTL). Naming ob1 skips
# probing UCX and libfabric for network devices at every start: an empty 2-rank program took 0.55 s and
# now 0.32 s here (median of 3). Not for a cluster with a fast network, which wants UCX; the Slurm job
# script does not set it.
export OMPI_MCA_pml=ob1
