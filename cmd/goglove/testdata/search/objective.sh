#!/bin/sh
# The command objective of the search tests: it reads the program (one line
# of JSON) and prints {"loss": L, "size": S}, L smaller for wider programs;
# it fails, with a reason on stderr, when act is tanh.
read -r program
case $program in
*'"act":"tanh"'*)
	echo "starting" >&2
	echo "objective: tanh diverged" >&2
	exit 3
	;;
*'"width":16'*) echo '{"loss": 3, "size": 1}' ;;
*'"width":32'*) echo '{"loss": 2, "size": 2}' ;;
*) echo '{"loss": 1, "size": 4}' ;;
esac
