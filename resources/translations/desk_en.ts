<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en">
<context>
    <name>AlertsPanel</name>
    <message numerus="yes">
        <location filename="../../ui/supervisor/alerts.py" line="165" />
        <source>%n alert(s) to settle.</source>
        <translation>
            <numerusform>%n alert to settle.</numerusform>
            <numerusform>%n alerts to settle.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>BatchHome</name>
    <message numerus="yes">
        <location filename="../../ui/supervisor/batch_home.py" line="406" />
        <source>Approve all %n undecided application(s) of batch {batch}?</source>
        <translation>
            <numerusform>Approve the %n undecided application of batch {batch}?</numerusform>
            <numerusform>Approve all %n undecided applications of batch {batch}?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/supervisor/batch_home.py" line="436" />
        <source>Approving %n application(s)…</source>
        <translation>
            <numerusform>Approving %n application…</numerusform>
            <numerusform>Approving %n applications…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/supervisor/batch_home.py" line="448" />
        <source>%n application(s) approved.</source>
        <translation>
            <numerusform>%n application approved.</numerusform>
            <numerusform>%n applications approved.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/supervisor/batch_home.py" line="451" />
        <source>%n application(s) approved; {skipped} left undecided:</source>
        <translation>
            <numerusform>%n application approved; {skipped} left undecided:</numerusform>
            <numerusform>%n applications approved; {skipped} left undecided:</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>HistoryModel</name>
    <message numerus="yes">
        <location filename="../../ui/search.py" line="159" />
        <source>%n setting(s) changed</source>
        <translation>
            <numerusform>%n setting changed</numerusform>
            <numerusform>%n settings changed</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SearchPanel</name>
    <message numerus="yes">
        <location filename="../../ui/search.py" line="290" />
        <source>%n application(s) found.</source>
        <translation>
            <numerusform>%n application found.</numerusform>
            <numerusform>%n applications found.</numerusform>
        </translation>
    </message>
</context>
</TS>