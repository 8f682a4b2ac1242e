# Installing cxpm like a package (issue 18): the files a system install needs besides the
# binary and the preload library, and `cpack -G DEB` (scripts/package.sh).
#
# The man page, the completions and the packaged systemd units are written by the binary just
# built (`cxpm __generate`, src/cli/generate_commands.cpp) from the CLI's own definitions and
# config/systemd_unit, so they cannot drift from what the program does.

set(CXPM_GENERATED ${CMAKE_BINARY_DIR}/packaging)
set(CXPM_GENERATED_FILES
    ${CXPM_GENERATED}/cxpm.1.gz ${CXPM_GENERATED}/cxpm.bash-completion ${CXPM_GENERATED}/_cxpm
    ${CXPM_GENERATED}/cxpm@.service ${CXPM_GENERATED}/cxpm.service
    ${CXPM_GENERATED}/changelog.Debian.gz ${CXPM_GENERATED}/cxpm-runtime
    ${CXPM_GENERATED}/cxpm-runtime.1.gz)
# Debian wants man pages and changelogs compressed with gzip -9n (no name or time inside,
# so the same sources give the same bytes).
add_custom_command(
  OUTPUT ${CXPM_GENERATED_FILES}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${CXPM_GENERATED}
  COMMAND $<TARGET_FILE:cxpm> __generate ${CXPM_GENERATED}
          --executable ${CMAKE_INSTALL_PREFIX}/bin/cxpm
  COMMAND gzip -9nf ${CXPM_GENERATED}/cxpm.1
  COMMAND ${CMAKE_COMMAND} -E copy ${CMAKE_SOURCE_DIR}/packaging/debian/changelog
          ${CXPM_GENERATED}/changelog.Debian
  COMMAND gzip -9nf ${CXPM_GENERATED}/changelog.Debian
  # cxpm-runtime is cxpm under another name (it picks its mode from argv[0]): a relative link.
  COMMAND ${CMAKE_COMMAND} -E create_symlink cxpm ${CXPM_GENERATED}/cxpm-runtime
  COMMAND ${CMAKE_COMMAND} -E create_symlink cxpm.1.gz ${CXPM_GENERATED}/cxpm-runtime.1.gz
  DEPENDS cxpm ${CMAKE_SOURCE_DIR}/packaging/debian/changelog
  COMMENT "Generating the man page, completions and systemd units with cxpm __generate"
  VERBATIM)
add_custom_target(cxpm_packaging_files ALL DEPENDS ${CXPM_GENERATED_FILES})

set(CXPM_DOC_DIR share/doc/cxpm)
install(FILES ${CXPM_GENERATED}/cxpm-runtime DESTINATION bin)
install(FILES ${CXPM_GENERATED}/cxpm.1.gz ${CXPM_GENERATED}/cxpm-runtime.1.gz
        DESTINATION share/man/man1)
install(FILES ${CXPM_GENERATED}/cxpm.bash-completion DESTINATION share/bash-completion/completions
        RENAME cxpm)
install(FILES ${CXPM_GENERATED}/_cxpm DESTINATION share/zsh/vendor-completions)
install(FILES ${CXPM_GENERATED}/cxpm@.service DESTINATION lib/systemd/system)
install(FILES ${CXPM_GENERATED}/cxpm.service DESTINATION lib/systemd/user)
install(FILES ${CXPM_GENERATED}/changelog.Debian.gz ${CMAKE_SOURCE_DIR}/packaging/debian/copyright
        DESTINATION ${CXPM_DOC_DIR})
install(FILES ${CMAKE_SOURCE_DIR}/packaging/debian/lintian-overrides
        DESTINATION share/lintian/overrides RENAME cxpm)
install(FILES README.md DESTINATION ${CXPM_DOC_DIR})
install(DIRECTORY docs/ DESTINATION ${CXPM_DOC_DIR}/docs)
# The example ecosystem beside the examples it names (its paths are relative to its own
# directory): `cxpm start /usr/share/doc/cxpm/ecosystem.example.yaml`.
install(FILES ecosystem.example.yaml DESTINATION ${CXPM_DOC_DIR})
# Not executable there (Debian policy): the ecosystem runs its scripts through their
# interpreters, chosen by extension.
install(DIRECTORY examples/ DESTINATION ${CXPM_DOC_DIR}/examples
        FILE_PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ
        PATTERN node_modules EXCLUDE PATTERN .gitignore EXCLUDE PATTERN logs EXCLUDE)

# `cpack -G DEB` in the build directory → cxpm_<version>-<release>_<arch>.deb, and the
# debug information in cxpm-dbgsym_…ddeb (/usr/lib/debug/.build-id/…).
set(CPACK_PACKAGE_NAME cxpm)
set(CPACK_PACKAGE_VENDOR cxpm)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT
    "cxpm maintainers <maintainers@users.noreply.r-seed-150ceca6.example>"
    CACHE STRING "The package's Maintainer field")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "process manager and cluster supervisor for any language")
# The extended description; the synopsis above is its first line.
string(CONCAT CPACK_DEBIAN_PACKAGE_DESCRIPTION
       "cxpm runs programs in any language under a small daemon that restarts them\n"
       "when they crash, keeps and rotates their logs, and brings them back at boot\n"
       "with systemd. It takes pm2's verbs, options and ecosystem files.\n"
       "\n"
       "In cluster mode the daemon holds the listening sockets and the kernel spreads\n"
       "connections over the workers: unmodified servers in Node.js, Python, Ruby or C\n"
       "share a port, and reloads replace workers without refusing a connection.")
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS nodejs)
set(CPACK_DEBIAN_DEBUGINFO_PACKAGE ON)
# systemctl daemon-reload after install and removal. Also keeps CPack from adding ldconfig
# calls, which it does for any library below /usr/lib, though /usr/lib/cxpm is private.
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${CMAKE_SOURCE_DIR}/packaging/debian/postinst
                                       ${CMAKE_SOURCE_DIR}/packaging/debian/postrm)
# Control files 0644, as dpkg-deb and lintian expect.
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
