# check_cli.cmake - runs `borne-tally pabulib PB` and compares its stdout with
# EXPECTED (the official winners, one id a line, sorted as the CLI sorts).
# Usage: cmake -DTALLY=... -DPB=... -DEXPECTED=... -P check_cli.cmake
execute_process(COMMAND ${TALLY} pabulib ${PB}
  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "borne-tally exited ${rc}:\n${err}")
endif()
file(READ ${EXPECTED} want)
if(NOT out STREQUAL want)
  message(FATAL_ERROR "winners differ for ${PB}\n--- expected\n${want}--- got\n${out}--- stderr\n${err}")
endif()
message(STATUS "${PB}: official winners, stats:\n${err}")
