# bounce.sh - sourced by phrases.sh and owners.sh (bash): their common part.
#
# tsv_split LINE NAME   split "expected <TAB> code-or-empty <TAB> text" into
#                       the globals want, code and text (by hand: "read"
#                       would merge the two tabs around an empty code);
#                       exits with "NAME: bad line" when it has no text.
# write_bounce FILE N CODE TEXT ID
#                       write the one-recipient RFC 3464 bounce of the
#                       tests: multipart/report, Status CODE (5.0.0 when
#                       empty), "Diagnostic-Code: smtp; TEXT", Message-ID
#                       <ID-N@mx.example.org>.

tsv_split() {
	local line=$1 rest
	want=${line%%$'\t'*}; rest=${line#*$'\t'}
	code=${rest%%$'\t'*}; text=${rest#*$'\t'}
	if [ "$rest" = "$line" ] || [ "$text" = "$rest" ] || [ -z "$text" ]; then
		echo "$2: bad line: $line" >&2; exit 1
	fi
}

write_bounce() {
	cat > "$1" <<EOF
From: MAILER-DAEMON@mx.example.org
To: sender@example.com
Subject: Undelivered Mail Returned to Sender
Date: Mon, 1 Jan 2024 00:00:00 +0000
Message-ID: <$5-$2@mx.example.org>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
 boundary="BOUNDARY-$2"

--BOUNDARY-$2
Content-Type: text/plain; charset=us-ascii

Your message could not be delivered to one or more recipients.

--BOUNDARY-$2
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.org

Final-Recipient: rfc822; user@example.net
Action: failed
Status: ${3:-5.0.0}
Diagnostic-Code: smtp; $4

--BOUNDARY-$2--
EOF
}
