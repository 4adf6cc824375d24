# check_no_server.cmake - the tally is built from firmware/ alone, never from
# server/ (DESIGN.md: an observer builds and runs the verifier alone; it
# reads a server's store with plain SQL, tally/serverdb.h): no tally source
# includes a server header, neither tally target links a server library,
# and the borne-tally binary defines no srv_ symbol.
# Usage: cmake -DSRC=<source dir> -DLIBS="<link libraries>" -DBIN=<borne-tally> -DNM=<nm>
#        -P check_no_server.cmake
file(GLOB sources ${SRC}/tally/*.c ${SRC}/tally/*.h)
list(LENGTH sources n)
if(n LESS 10)
  message(FATAL_ERROR "tally sources not found under ${SRC}/tally")
endif()
foreach(f ${sources})
  file(STRINGS ${f} lines REGEX "^[ \t]*#[ \t]*include")
  foreach(l ${lines})
    if(l MATCHES "srv_|server/")
      message(FATAL_ERROR "${f} includes server code: ${l}")
    endif()
  endforeach()
endforeach()
file(READ ${SRC}/tally/CMakeLists.txt cm)
if(cm MATCHES "server_core|/server")
  message(FATAL_ERROR "tally/CMakeLists.txt refers to server code")
endif()
foreach(l ${LIBS})
  if(l MATCHES "server|microhttpd|gnutls")
    message(FATAL_ERROR "a tally target links ${l}")
  endif()
endforeach()
execute_process(COMMAND ${NM} ${BIN} OUTPUT_VARIABLE syms RESULT_VARIABLE rc)
if(NOT rc EQUAL 0 OR NOT syms MATCHES " serverdb_verify")
  message(FATAL_ERROR "${NM} ${BIN} failed or the binary is not the tally (${rc})")
endif()
if(syms MATCHES "[ \t]srv_[a-z_]+")
  message(FATAL_ERROR "borne-tally defines or uses server code: ${CMAKE_MATCH_0}")
endif()
