<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="sq_AL">
<context>
    <name>HomeWindow</name>
    <message>
        <location filename="../../ui/home.py" line="17" />
        <source>Residence cards</source>
        <translation>Kartat e qëndrimit</translation>
    </message>
    <message>
        <location filename="../../ui/home.py" line="20" />
        <source>Log out</source>
        <translation>Dil</translation>
    </message>
    <message>
        <location filename="../../ui/home.py" line="25" />
        <source>Logged in as {user} ({role})</source>
        <translation>Jeni identifikuar si {user} ({role})</translation>
    </message>
</context>
<context>
    <name>LoginWindow</name>
    <message>
        <location filename="../../ui/login.py" line="33" />
        <source>Residence cards — login</source>
        <translation>Kartat e qëndrimit — hyrja</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="37" />
        <source>only supervisors and administrators</source>
        <translation>vetëm për mbikëqyrës dhe administratorë</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="38" />
        <source>Log in</source>
        <translation>Hyr</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="43" />
        <source>Username</source>
        <translation>Përdoruesi</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="44" />
        <source>Password</source>
        <translation>Fjalëkalimi</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="45" />
        <source>6-digit code</source>
        <translation>Kodi 6-shifror</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="47" />
        <source>Biometric residence cards for foreign residents</source>
        <translation>Kartat biometrike të qëndrimit për shtetasit e huaj</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="64" />
        <source>Enter your username and password.</source>
        <translation>Shkruani përdoruesin dhe fjalëkalimin.</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="67" />
        <source>Checking…</source>
        <translation>Duke kontrolluar…</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="94" />
        <source>Unexpected error; see the log.</source>
        <translation>Gabim i papritur; shihni regjistrin.</translation>
    </message>
</context>
</TS>