# gen-ref-amplification.awk - an Export-Clixml file whose connectors all
# name one list of remote IP ranges through <Ref>: a small file that reads
# as a large one.
#
#   awk -v connectors=30 -v ranges=16000 -f gen-ref-amplification.awk
# SPDX-License-Identifier: ISC
BEGIN {
	printf "<Objs Version=\"1.1.0.1\" xmlns=\"%s\">\n",
	    "http://schemas.microsoft.com/powershell/2004/04"
	for (i = 0; i < connectors; i++) {
		printf "<Obj RefId=\"c%d\">", i
		if (i == 0)
			printf "<TN RefId=\"0\"><T>Microsoft.Exchange.Data." \
			    "Directory.SystemConfiguration.ReceiveConnector" \
			    "</T><T>System.Object</T></TN>"
		else
			printf "<TNRef RefId=\"0\"/>"
		printf "<ToString>EX01\\R%d</ToString><Props>", i
		printf "<S N=\"Name\">R%d</S><S N=\"Identity\">EX01\\R%d</S>",
		    i, i
		printf "<Obj N=\"Bindings\" RefId=\"b%d\"><LST>", i
		printf "<S>0.0.0.0:%d</S></LST></Obj>", 2000 + i
		if (i == 0) {
			printf "<Obj N=\"RemoteIPRanges\" RefId=\"list\"><LST>"
			for (j = 0; j < ranges; j++)
				printf "<S>10.%d.%d.%d</S>", int(j / 65536) % 256,
				    int(j / 256) % 256, j % 256
			printf "</LST></Obj>"
		} else
			printf "<Ref N=\"RemoteIPRanges\" RefId=\"list\"/>"
		print "</Props></Obj>"
	}
	print "</Objs>"
}
