# bash completion for memscopectl                              -*- shell-script -*-
# Subcommands, their options, and zone names from the loaded module when it answers.

_memscopectl_zones()
{
	# The zone names this kernel has, as 'memscopectl info --raw' lists them.
	memscopectl info --raw 2>/dev/null | awk -F'\t' '$1 ~ /^zones\.[0-9]+$/ { print $2 }'
}

_memscopectl()
{
	# Plain COMP_WORDS: works with or without the bash-completion package.
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
	local words=("${COMP_WORDS[@]}") cword=$COMP_CWORD
	COMPREPLY=()

	local cmds="info zones buddy pages map task tlb snapshot diff export help"
	local common="--json --raw --human --pages --bytes --color= --explain --watch --count --help"

	local cmd="" i
	for ((i = 1; i < cword; i++)); do
		case ${words[i]} in
		-*) ;;
		*) cmd=${words[i]}; break ;;
		esac
	done

	if [[ -z $cmd ]]; then
		COMPREPLY=($(compgen -W "$cmds --help --version" -- "$cur"))
		return
	fi

	case $prev in
	--zone|-z)
		COMPREPLY=($(compgen -W "$(_memscopectl_zones)" -- "$cur"))
		return ;;
	--node|-n)
		COMPREPLY=($(compgen -W "$(ls -d /sys/devices/system/node/node[0-9]* 2>/dev/null | sed 's/.*node//')" -- "$cur"))
		return ;;
	--watch|-w|--count|-c|--width|--start|--end|--top)
		return ;;
	-o|--output|--svg|--from)
		COMPREPLY=($(compgen -f -- "$cur"))
		return ;;
	esac
	# "--color=al" arrives as "--color" "=" "al" (= is in COMP_WORDBREAKS).
	if [[ $prev == = && ${words[cword-2]} == --color ]] || [[ $cur == = && $prev == --color ]]; then
		[[ $cur == = ]] && cur=""
		COMPREPLY=($(compgen -W "auto always never" -- "$cur"))
		return
	fi

	local opts=""
	case $cmd in
	info) opts="$common" ;;
	zones|buddy|pages) opts="$common --node --zone" ;;
	map) opts="$common --by-type --no-color --width --start --end --svg" ;;
	task)
		if [[ $cur != -* ]]; then
			COMPREPLY=($(compgen -W "$(ps -eo pid= 2>/dev/null)" -- "$cur"))
			return
		fi
		opts="$common --vmas --range" ;;
	tlb) opts="$common --top --top= --reset --geometry --cpuid-file" ;;
	snapshot) opts="-o --output --help" ;;
	diff)
		if [[ $cur != -* ]]; then
			COMPREPLY=($(compgen -f -- "$cur"))
			return
		fi
		opts="--json --raw --human --pages --bytes --color= --explain --help" ;;
	export) opts="--prometheus -o --output --from --help" ;;
	help) COMPREPLY=($(compgen -W "$cmds" -- "$cur")); return ;;
	esac
	COMPREPLY=($(compgen -W "$opts" -- "$cur"))
	[[ ${COMPREPLY[0]-} == *= ]] && compopt -o nospace 2>/dev/null
	return 0
}
complete -F _memscopectl memscopectl
