; Installer hooks for the NSIS installer (bundle.windows.nsis.installerHooks).
;
; Offers Batchdesk under "Open with" for CSV and TSV files without taking them over:
; Tauri's own file associations make the app the default program for the extension, and
; researchers usually want their spreadsheet program to stay the default. So on Windows
; the associations are registered here instead (tauri.windows.conf.json drops Tauri's),
; as an OpenWithProgids entry beside whatever program the extension already has.
; SHCTX is the current user's or the machine's registry, as the install mode chose.

!define BATCHDESK_PROGID "Batchdesk.DataFile"

!macro NSIS_HOOK_POSTINSTALL
  WriteRegStr SHCTX "Software\Classes\${BATCHDESK_PROGID}" "" "Spreadsheet data"
  WriteRegStr SHCTX "Software\Classes\${BATCHDESK_PROGID}\DefaultIcon" "" "$\"$INSTDIR\${MAINBINARYNAME}.exe$\",0"
  WriteRegStr SHCTX "Software\Classes\${BATCHDESK_PROGID}\shell\open" "" "Open with ${PRODUCTNAME}"
  WriteRegStr SHCTX "Software\Classes\${BATCHDESK_PROGID}\shell\open\command" "" "$\"$INSTDIR\${MAINBINARYNAME}.exe$\" $\"%1$\""
  WriteRegStr SHCTX "Software\Classes\.csv\OpenWithProgids" "${BATCHDESK_PROGID}" ""
  WriteRegStr SHCTX "Software\Classes\.tsv\OpenWithProgids" "${BATCHDESK_PROGID}" ""
  ; Tell Explorer the associations changed (SHCNE_ASSOCCHANGED, SHCNF_FLUSH).
  System::Call "shell32::SHChangeNotify(i 0x08000000, i 0x1000, p 0, p 0)"
!macroend

!macro NSIS_HOOK_POSTUNINSTALL
  DeleteRegValue SHCTX "Software\Classes\.csv\OpenWithProgids" "${BATCHDESK_PROGID}"
  DeleteRegValue SHCTX "Software\Classes\.tsv\OpenWithProgids" "${BATCHDESK_PROGID}"
  DeleteRegKey SHCTX "Software\Classes\${BATCHDESK_PROGID}"
  System::Call "shell32::SHChangeNotify(i 0x08000000, i 0x1000, p 0, p 0)"
!macroend
