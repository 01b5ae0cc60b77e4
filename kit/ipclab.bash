# ipclab.bash - tab completion for the ipclab programs, in bash.
#
# make install puts a copy under each program's name in bash-completion's
# directory, which loads it the first time you press TAB after that name.
# The words come from the program itself (--list-commands, --list-options:
# hidden options made from its own tables), so they cannot drift from it:
#   ipc-pipe <TAB>          its commands
#   ipc-msgq send --<TAB>   the options send takes
# After a command, a word that is not an option completes as a file name.

_ipclab()
{
	local cur prog cmd word i
	cur=${COMP_WORDS[COMP_CWORD]}
	prog=${COMP_WORDS[0]}
	# The command is the first word after the program that is not an
	# option (an option's argument may be taken for it; that is harmless).
	for ((i = 1; i < COMP_CWORD; i++)); do
		word=${COMP_WORDS[i]}
		case $word in
		--) break ;;
		-*) ;;
		*) cmd=$word; break ;;
		esac
	done
	if [[ $cur == -* ]]; then
		# shellcheck disable=SC2086 # $cmd is one word or none
		mapfile -t COMPREPLY < <(compgen -W \
		    "$("$prog" --list-options $cmd 2>/dev/null)" -- "$cur")
	elif [[ -z $cmd && $prog != connect2 ]]; then
		mapfile -t COMPREPLY < <(compgen -W \
		    "$("$prog" --list-commands 2>/dev/null)" -- "$cur")
	else
		compopt -o filenames 2>/dev/null
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
	fi
}

complete -F _ipclab ipc-pipe connect2 ipc-fifo ipc-msgq ipc-shm ipc-sem \
    ipc-socket ipc-flock ipc-signal
