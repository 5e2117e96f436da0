<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<!-- Albanian for Qt's own strings (buttons, message boxes, the non-native file dialog,
     the text fields' menu): Qt ships no Albanian translation of its own. Hand-kept; the
     contexts and source texts are Qt's (qtbase). `make translations` compiles it to qt_sq.qm. -->
<TS version="2.1" language="sq_AL">
<context>
    <name>QPlatformTheme</name>
    <message>
        <source>OK</source>
        <translation>Në rregull</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Ruaj</translation>
    </message>
    <message>
        <source>Save All</source>
        <translation>Ruaji të gjitha</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Hap</translation>
    </message>
    <message>
        <source>&amp;Yes</source>
        <translation>&amp;Po</translation>
    </message>
    <message>
        <source>Yes to &amp;All</source>
        <translation>Po për të &amp;gjitha</translation>
    </message>
    <message>
        <source>&amp;No</source>
        <translation>&amp;Jo</translation>
    </message>
    <message>
        <source>N&amp;o to All</source>
        <translation>J&amp;o për asnjë</translation>
    </message>
    <message>
        <source>Abort</source>
        <translation>Ndërprit</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Provo sërish</translation>
    </message>
    <message>
        <source>Ignore</source>
        <translation>Shpërfill</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Mbyll</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Anulo</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>Hidh poshtë</translation>
    </message>
    <message>
        <source>Help</source>
        <translation>Ndihmë</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>Zbato</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>Rivendos</translation>
    </message>
    <message>
        <source>Restore Defaults</source>
        <translation>Rikthe parazgjedhjet</translation>
    </message>
</context>
<context>
    <name>QGnomeTheme</name>
    <message>
        <source>&amp;OK</source>
        <translation>&amp;Në rregull</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Ruaj</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>&amp;Anulo</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>&amp;Mbyll</translation>
    </message>
    <message>
        <source>Close without Saving</source>
        <translation>Mbyll pa ruajtur</translation>
    </message>
</context>
<context>
    <name>QDialogButtonBox</name>
    <message>
        <source>OK</source>
        <translation>Në rregull</translation>
    </message>
</context>
<context>
    <name>QMessageBox</name>
    <message>
        <source>Show Details...</source>
        <translation>Shfaq hollësitë...</translation>
    </message>
    <message>
        <source>Hide Details...</source>
        <translation>Fshih hollësitë...</translation>
    </message>
</context>
<context>
    <name>QFileDialog</name>
    <message>
        <source>%1
Directory not found.
Please verify the correct directory name was given.</source>
        <translation>%1
Dosja nuk u gjet.
Kontrolloni që emri i dosjes është dhënë saktë.</translation>
    </message>
    <message>
        <source>%1
File not found.
Please verify the correct file name was given.</source>
        <translation>%1
Skedari nuk u gjet.
Kontrolloni që emri i skedarit është dhënë saktë.</translation>
    </message>
    <message>
        <source>%1 already exists.
Do you want to replace it?</source>
        <translation>%1 ekziston tashmë.
Doni ta zëvendësoni?</translation>
    </message>
    <message>
        <source>&amp;Choose</source>
        <translation>&amp;Zgjidh</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>&amp;Fshi</translation>
    </message>
    <message>
        <source>&amp;Look in:</source>
        <translation>&amp;Shiko në:</translation>
    </message>
    <message>
        <source>&amp;New Folder</source>
        <translation>&amp;Dosje e re</translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation>&amp;Hap</translation>
    </message>
    <message>
        <source>&amp;Rename</source>
        <translation>&amp;Riemërto</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Ruaj</translation>
    </message>
    <message>
        <source>'%1' is write protected.
Do you want to delete it anyway?</source>
        <translation>'%1' është i mbrojtur nga shkrimi.
Doni ta fshini gjithsesi?</translation>
    </message>
    <message>
        <source>All Files (*)</source>
        <translation>Të gjithë skedarët (*)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>Të gjithë skedarët (*)</translation>
    </message>
    <message>
        <source>Are you sure you want to delete '%1'?</source>
        <translation>Jeni i sigurt që doni të fshini '%1'?</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Prapa</translation>
    </message>
    <message>
        <source>Change to detail view mode</source>
        <translation>Kalo te pamja me hollësi</translation>
    </message>
    <message>
        <source>Change to list view mode</source>
        <translation>Kalo te pamja listë</translation>
    </message>
    <message>
        <source>Could not delete directory.</source>
        <translation>Dosja nuk mund të fshihej.</translation>
    </message>
    <message>
        <source>Create New Folder</source>
        <translation>Krijo dosje të re</translation>
    </message>
    <message>
        <source>Create a New Folder</source>
        <translation>Krijo një dosje të re</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Fshi</translation>
    </message>
    <message>
        <source>Detail View</source>
        <translation>Pamje me hollësi</translation>
    </message>
    <message>
        <source>Directories</source>
        <translation>Dosjet</translation>
    </message>
    <message>
        <source>Directory:</source>
        <translation>Dosja:</translation>
    </message>
    <message>
        <source>File &amp;name:</source>
        <translation>&amp;Emri i skedarit:</translation>
    </message>
    <message>
        <source>Files</source>
        <translation>Skedarët</translation>
    </message>
    <message>
        <source>Files of &amp;type:</source>
        <translation>&amp;Lloji i skedarëve:</translation>
    </message>
    <message>
        <source>Find Directory</source>
        <translation>Gjej dosjen</translation>
    </message>
    <message>
        <source>Forward</source>
        <translation>Përpara</translation>
    </message>
    <message>
        <source>Go back</source>
        <translation>Kthehu prapa</translation>
    </message>
    <message>
        <source>Go forward</source>
        <translation>Shko përpara</translation>
    </message>
    <message>
        <source>Go to the parent directory</source>
        <translation>Shko te dosja mëmë</translation>
    </message>
    <message>
        <source>List View</source>
        <translation>Pamje listë</translation>
    </message>
    <message>
        <source>List of places and bookmarks</source>
        <translation>Lista e vendeve dhe e faqeshënuesve</translation>
    </message>
    <message>
        <source>New Folder</source>
        <translation>Dosje e re</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Hap</translation>
    </message>
    <message>
        <source>Parent Directory</source>
        <translation>Dosja mëmë</translation>
    </message>
    <message>
        <source>Recent Places</source>
        <translation>Vendet e fundit</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Hiq</translation>
    </message>
    <message>
        <source>Save As</source>
        <translation>Ruaj si</translation>
    </message>
    <message>
        <source>Show </source>
        <translation>Shfaq </translation>
    </message>
    <message>
        <source>Show &amp;hidden files</source>
        <translation>Shfaq skedarët e &amp;fshehur</translation>
    </message>
    <message>
        <source>Sidebar</source>
        <translation>Shiriti anësor</translation>
    </message>
</context>
<context>
    <name>QFileSystemModel</name>
    <message>
        <source>Computer</source>
        <translation>Kompjuteri</translation>
    </message>
    <message>
        <source>Date Modified</source>
        <translation>Ndryshuar më</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Lloji</translation>
    </message>
    <message>
        <source>My Computer</source>
        <translation>Kompjuteri im</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Emri</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Madhësia</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Lloji</translation>
    </message>
</context>
<context>
    <name>QAbstractFileIconProvider</name>
    <message>
        <source>Alias</source>
        <translation>Pseudonim</translation>
    </message>
    <message>
        <source>Drive</source>
        <translation>Disk</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Skedar</translation>
    </message>
    <message>
        <source>File Folder</source>
        <translation>Dosje skedarësh</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>Dosje</translation>
    </message>
    <message>
        <source>Shortcut</source>
        <translation>Shkurtore</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>I panjohur</translation>
    </message>
</context>
<context>
    <name>QLineEdit</name>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Zhbëj</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Ribëj</translation>
    </message>
    <message>
        <source>Cu&amp;t</source>
        <translation>&amp;Prit</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Kopjo</translation>
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation>&amp;Ngjit</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Fshi</translation>
    </message>
    <message>
        <source>Select All</source>
        <translation>Përzgjidhi të gjitha</translation>
    </message>
</context>
<context>
    <name>QWidgetTextControl</name>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Zhbëj</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Ribëj</translation>
    </message>
    <message>
        <source>Cu&amp;t</source>
        <translation>&amp;Prit</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Kopjo</translation>
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation>&amp;Ngjit</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Fshi</translation>
    </message>
    <message>
        <source>Select All</source>
        <translation>Përzgjidhi të gjitha</translation>
    </message>
    <message>
        <source>Copy &amp;Link Location</source>
        <translation>Kopjo &amp;adresën e lidhjes</translation>
    </message>
</context>
<context>
    <name>QWizard</name>
    <message>
        <source>&amp;Finish</source>
        <translation>&amp;Përfundo</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Ndihmë</translation>
    </message>
    <message>
        <source>&amp;Next</source>
        <translation>Pa&amp;sardhës</translation>
    </message>
    <message>
        <source>&amp;Next &gt;</source>
        <translation>Pa&amp;sardhës &gt;</translation>
    </message>
    <message>
        <source>&lt; &amp;Back</source>
        <translation>&lt; &amp;Prapa</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Anulo</translation>
    </message>
    <message>
        <source>Commit</source>
        <translation>Kryej</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>Vazhdo</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>U krye</translation>
    </message>
    <message>
        <source>Go Back</source>
        <translation>Kthehu prapa</translation>
    </message>
    <message>
        <source>Help</source>
        <translation>Ndihmë</translation>
    </message>
</context>
</TS>
