# bash completion for nightfan, nightfan-shard and nightfan-merge (installed as
# share/bash-completion/completions/{nightfan,nightfan-shard,nightfan-merge}).
# Completes subcommands, their options and, after an option that takes a path, file names.

_nightfan_options() { # the options a command's --help lists
	"$@" --help 2>/dev/null | grep -oE '(^|[ ,(\[])--?[a-z][a-z-]*' | sed 's/^[ ,(\[]*//' | sort -u
}

_nightfan_files() {
	local IFS=$'\n'
	compopt -o filenames 2>/dev/null
	COMPREPLY=($(compgen -f -- "$1"))
}

_nightfan() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
	local prog=${COMP_WORDS[0]} cmd=()
	case "$prog" in
	*nightfan)
		if [ "$COMP_CWORD" -eq 1 ]; then
			COMPREPLY=($(compgen -W "synth compile run compose submit status cancel profile help --help --version" -- "$cur"))
			return
		fi
		cmd=("$prog" "${COMP_WORDS[1]}")
		if [ "${COMP_WORDS[1]}" = profile ]; then
			if [ "$COMP_CWORD" -eq 2 ]; then
				COMPREPLY=($(compgen -W "init check show --help" -- "$cur"))
				return
			fi
			cmd+=("${COMP_WORDS[2]}")
		fi
		;;
	*) cmd=("$prog") ;;
	esac
	case "$prev" in
	--profile | --input | --out | --nights-file | --root | -o | --output | --base | --nights | --input-root)
		_nightfan_files "$cur"
		return
		;;
	--on-error)
		COMPREPLY=($(compgen -W "fail record" -- "$cur"))
		return
		;;
	esac
	if [[ "$cur" == -* ]]; then
		COMPREPLY=($(compgen -W "$(_nightfan_options "${cmd[@]}")" -- "$cur"))
	else
		_nightfan_files "$cur"
	fi
}
complete -F _nightfan nightfan nightfan-shard nightfan-merge
