# What `cmake --install` puts where, the man page, and the Debian package `cpack -G DEB` builds.
# Included at the end of the top-level CMakeLists.txt.
include(GNUInstallDirs)

install(TARGETS ledger ledger-gen ledger-digest RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

# The man page is written from `ledger --help` at build time, so it cannot fall behind the options.
# `ledger --help` starts MPI as a singleton (no launcher needed); as root Open MPI refuses without the
# two ALLOW variables, and the others spare it probing networks and displays at build time. Open MPI
# leaks by design at exit, which a sanitizer build's leak check would turn into a failed --help.
find_program(LEDGER_HELP2MAN help2man)
if(LEDGER_HELP2MAN)
  set(LEDGER_MAN_PAGE ${PROJECT_BINARY_DIR}/ledger.1)
  add_custom_command(
    OUTPUT ${LEDGER_MAN_PAGE}
    COMMAND ${CMAKE_COMMAND} -E env OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
            OMPI_MCA_pml=ob1 OMPI_MCA_btl=self,vader HWLOC_COMPONENTS=-gl ASAN_OPTIONS=detect_leaks=0
            ${LEDGER_HELP2MAN} --no-info --section=1 --version-string=${PROJECT_VERSION}
            "--name=replay a day of money transfers and write every account's closing balance"
            --include=${PROJECT_SOURCE_DIR}/cmake/ledger.h2m --output=${LEDGER_MAN_PAGE} $<TARGET_FILE:ledger>
    DEPENDS ledger ${PROJECT_SOURCE_DIR}/cmake/ledger.h2m
    COMMENT "Writing the man page ledger.1 from ledger --help"
    VERBATIM)
  add_custom_target(ledger-man-page ALL DEPENDS ${LEDGER_MAN_PAGE})
  install(FILES ${LEDGER_MAN_PAGE} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
else()
  message(WARNING "help2man not found: no man page (scripts/install-deps.sh installs it)")
endif()

# Everything a site needs beside the binaries, under share/ledger/.
set(LEDGER_SHARE_DIR ${CMAKE_INSTALL_DATADIR}/ledger)
install(PROGRAMS slurm/ledger.sbatch DESTINATION ${LEDGER_SHARE_DIR}/slurm)
install(FILES slurm/README.md DESTINATION ${LEDGER_SHARE_DIR}/slurm)
install(PROGRAMS scripts/scaling/study.sh scripts/scaling/collect.py scripts/scaling/model.py
        DESTINATION ${LEDGER_SHARE_DIR}/scaling)
install(FILES scripts/scaling/stage_terms.py scripts/scaling/calibration.py DESTINATION ${LEDGER_SHARE_DIR}/scaling)
install(DIRECTORY scripts/monitoring/ DESTINATION ${LEDGER_SHARE_DIR}/monitoring)
# The database schema, once the project ships one.
file(GLOB LEDGER_DB_SCHEMA CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/db/*.sql)
if(LEDGER_DB_SCHEMA)
  install(FILES ${LEDGER_DB_SCHEMA} DESTINATION ${LEDGER_SHARE_DIR}/db)
endif()
install(FILES README.md CHANGELOG.md LICENSE DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/docs)

# The Debian package. Its dependencies are named by hand, one package per library the binaries link
# (readelf -d, dpkg -S), plus openmpi-bin for mpirun; tests/e2e/deb_package.sh checks the list against
# the binary, so a new library cannot be forgotten.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME ledger)
set(CPACK_PACKAGE_VENDOR "the ledger authors")
set(CPACK_PACKAGE_CONTACT "the ledger authors")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "replays a day of money transfers with MPI and writes closing balances")
string(CONCAT CPACK_PACKAGE_DESCRIPTION
       "ledger replays dated transfers between accounts in time order, country by country across MPI ranks, "
       "with exact 128-bit decimal money, and writes closing balances, rejected transfers and a run report.")
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "openmpi-bin, libopenmpi3, libboost-mpi1.74.0, libboost-serialization1.74.0, libboost-program-options1.74.0, libspdlog1.10, libfmt9, libcurl4, libpq5, libssl3, libxxhash0, libstdc++6, libgcc-s1, libc6 (>= 2.36)")
include(CPack)
